import { formatClientId, formatCookie, formatPayloadItem, hexUpper } from './format';
import { DEL_REASONS, type Family, knownMessage, logViewerIdMeaning, lookupReason } from './knowledge';
import {
  exchangeName,
  exchangeNumber,
  isErrorNotify,
  Notify,
  notifyName,
  notifyNumber,
  payloadName,
  payloadNumber,
} from './tables';
import type {
  ClientId,
  GatewayRow,
  IkeMessageEvent,
  KnownMessageEvent,
  LogEvent,
  NoteKind,
  PayloadItem,
} from './types';

const EXCHANGE_WORDS: Record<string, string> = {
  BASE: 'base-mode',
  MM: 'main-mode (phase 1)',
  AUTH: 'authentication-only',
  AG: 'aggressive-mode (phase 1)',
  INFO: 'informational',
  TRANS: 'transaction (mode-config / XAUTH)',
  QM: 'quick-mode (phase 2)',
  NGM: 'new-group-mode',
};

const PAYLOAD_WORDS: Record<string, string> = {
  SA: 'a security association proposal',
  P: 'a proposal',
  T: 'a transform',
  KE: 'a Diffie-Hellman public value',
  ID: 'an identity',
  CERT: 'a certificate',
  CERT_REQ: 'a certificate request',
  HASH: 'a hash',
  SIG: 'a signature',
  NON: 'a nonce',
  DEL: 'a delete notice',
  ATTR: 'configuration attributes',
  'NAT-D': 'a NAT-discovery hash',
  'NAT-OA': 'the original address before NAT',
  FRAG: 'an IKE fragment',
  DWR: 'a delete with reason (Cisco)',
};

/** What a notify means, for the names a log commonly shows. */
const NOTIFY_WORDS: Record<number, string> = {
  [Notify.NO_PROPOSAL_CHOSEN]:
    'no proposal in the offer is acceptable to the peer: the encryption, hash, group or IPsec settings do not match',
  [Notify.PAYLOAD_MALFORMED]:
    'the peer could not read a payload; right after the encrypted exchange this usually means the keys differ (wrong pre-shared key)',
  [Notify.INVALID_ID_INFORMATION]: 'the peer rejects the identities (phase 1 ID or the phase-2 client IDs / networks)',
  [Notify.INVALID_HASH_INFORMATION]: 'the hash did not verify: the keys or identities differ',
  [Notify.AUTHENTICATION_FAILED]: 'authentication failed: pre-shared key, certificate or user credentials are wrong',
  [Notify.INVALID_SIGNATURE]: 'the signature did not verify',
  [Notify.NOTIFY_CONNECTED]: 'the exchange completed and the tunnel is connected',
  [Notify.STATUS_RESP_LIFETIME]: 'the responder states the lifetime it will use for the SA',
  [Notify.STATUS_REPLAY_STATUS]: 'replay-detection status',
  [Notify.STATUS_INITIAL_CONTACT]: 'the sender has no earlier SA with this peer: old SAs can be deleted',
  [Notify.DPD_R_U_THERE]: 'dead-peer detection: are you there?',
  [Notify.DPD_R_U_THERE_ACK]: 'dead-peer detection: yes, I am here',
};

const STATUS_WORDS: Record<string, string> = {
  'hash-verification-failed':
    'The hash of the peer’s identity did not verify: the pre-shared key (or group password) differs between the two ends.',
  'key-not-found':
    'No pre-shared key or certificate matches this peer: the authentication settings are missing or wrong.',
  'aggressive-mode': 'Phase 1 runs in aggressive mode (three messages, identities in the clear).',
  'main-mode': 'Phase 1 runs in main mode (six messages, identities encrypted).',
};

/** Plain words for one notify name, with its number. */
export function explainNotify(name: string): string {
  const n = notifyNumber(name);
  if (n === undefined) return `notification ${name} (not in the name table)`;
  const words = NOTIFY_WORDS[n];
  const canonical = notifyName(n);
  const label = canonical === name ? name : `${name} (${canonical})`;
  return `notification ${label} = ${n}${words ? `: ${words}` : isErrorNotify(n) ? ': an error the peer reports' : ''}`;
}

function itemWords(item: PayloadItem): string {
  if (item.unreadable) return 'then payloads oaklog could not decode (the message was damaged or cut short)';
  if (item.notify !== undefined) return explainNotify(item.notify);
  const number = payloadNumber(item.payload);
  if (number !== undefined && payloadName(number) === undefined)
    return `a payload of type ${number}, which the clients had no word for`;
  if (item.payload === 'VID') return item.vendor !== undefined ? `a vendor ID (${item.vendor})` : 'a vendor ID';
  return PAYLOAD_WORDS[item.payload] ?? `a ${formatPayloadItem(item)} payload`;
}

function shapeWords(e: IkeMessageEvent): string | undefined {
  const names = e.items.map((i) => i.payload);
  const has = (p: string) => names.includes(p);
  switch (e.exchange) {
    case 'MM':
      if (names.length === 1 && has('SA'))
        return 'The main-mode proposal list: encryption, hash, Diffie-Hellman group and authentication per proposal; settings the peer cannot accept end in a NO_PROPOSAL_CHOSEN notice.';
      if (has('KE') && has('NON'))
        return 'The Diffie-Hellman exchange: public values and nonces from which both sides derive the keys (vendor IDs announce capabilities).';
      if (has('ID') && has('HASH'))
        return 'Identities and the hash that authenticates them, encrypted with the new keys; this completes main mode.';
      return undefined;
    case 'AG':
      if (has('SA') && has('KE') && has('ID') && !has('HASH'))
        return 'Aggressive mode, first message: proposal, Diffie-Hellman value, nonce and identity in one packet.';
      if (has('SA') && has('HASH'))
        return 'Aggressive mode, answer: the accepted proposal, the peer’s keys, identity and authenticating hash.';
      if (names.length === 1 && has('HASH'))
        return 'Aggressive mode, last message: the initiator’s authenticating hash; phase 1 is complete.';
      return undefined;
    case 'QM':
      if (has('SA') && has('NON'))
        return `A quick-mode proposal for the user data (ESP/AH, algorithms, tunnel), nonces${has('ID') ? ' and client IDs' : ''}; ${has('KE') ? 'KE present: perfect forward secrecy' : 'no KE: no perfect forward secrecy'}.`;
      if (names.length >= 1 && names[0] === 'HASH' && !has('SA'))
        return e.items.some((i) => i.notify !== undefined && notifyNumber(i.notify) === Notify.NOTIFY_CONNECTED)
          ? 'The responder confirms the quick-mode exchange: the IPsec SA is connected.'
          : 'The initiator’s final hash that completes quick mode.';
      return undefined;
    case 'INFO':
      if (has('DEL')) return 'An informational message deleting an SA.';
      if (has('NOTIFY')) return 'An informational message carrying a notification.';
      return undefined;
    default:
      return undefined;
  }
}

/** `a` or `an` before a word. */
function article(word: string): string {
  return /^[aeio]/i.test(word) ? `an ${word}` : `a ${word}`;
}

/** Ends a sentence with a period unless it already ends with punctuation. */
function stop(s: string): string {
  return /[.?!]$/.test(s) ? s : `${s}.`;
}

function explainIke(e: IkeMessageEvent): string {
  const verb = e.direction === 'sent' ? 'Sent' : 'Received';
  const number = exchangeNumber(e.exchange);
  const ex =
    EXCHANGE_WORDS[e.exchange] ??
    (number !== undefined && exchangeName(number) === undefined
      ? `exchange-type-${number} (no client had a word for it)`
      : `${e.exchange}-exchange`);
  const where = e.peer ? ` ${e.direction === 'sent' ? 'to' : 'from'} ${e.peer}` : '';
  if (e.retransmission)
    return `${verb} ${article(ex)} message again${where} (Retransmission): no answer came in time, so the last message was resent; the peer may be unreachable.`;
  const parts = [`${verb} ${e.encrypted ? 'an encrypted' : article(ex).split(' ')[0]} ${ex} message${where}`];
  if (e.items.length > 0) parts[0] += ` carrying ${e.items.map(itemWords).join('; ')}`;
  parts[0] = stop(parts[0] ?? '');
  const shape = shapeWords(e);
  if (shape) parts.push(shape);
  if (e.encrypted) parts.push('The * marks a message encrypted with the phase-1 keys.');
  if (e.gateway)
    parts.push(`Gateway header: initiator cookie 0x${e.gateway.initCookie}, message id 0x${e.gateway.msgId}.`);
  if (e.clipped !== undefined) parts.push('The line was cut off inside the payload list; later items are missing.');
  return parts.join(' ');
}

function clientIdWords(role: string, c: ClientId | undefined): string {
  if (!c) return `${role}: not given`;
  const id = c.id;
  const what =
    id.type === 'address'
      ? `host ${id.address}`
      : id.type === 'subnet'
        ? `network ${id.address}/${id.mask}`
        : `address range ${id.start}–${id.end}`;
  return `${role}: ${what}, ${c.protocol === 0 ? 'any protocol' : `protocol ${c.protocol}`}, ${c.port === 0 ? 'any port' : `port ${c.port}`} (${formatClientId(c)})`;
}

const NOTE_WORDS: Record<NoteKind, string> = {
  comment: 'A note the person who pasted the log added (not a log message).',
  elision: 'The person who pasted the log left lines out here.',
  markup: 'Forum markup around the paste (not a log message).',
  'quote-header': 'A forum quote header (not a log message).',
};

const FAMILY_WORDS: Record<Family, string> = {
  'vpnclient-log': 'Cisco VPN Client',
  'vpnclient-cli': 'vpnclient',
  sonicwall: 'SonicWALL',
};

/** The columns of a gateway row, in words. */
function rowWords(row: GatewayRow): string {
  const parts: string[] = [];
  if (row.priority !== undefined) parts.push(`priority ${row.priority}`);
  if (row.source !== undefined) parts.push(`from ${row.source}`);
  if (row.destination !== undefined) parts.push(`to ${row.destination}`);
  if (row.notes !== undefined) parts.push(`notes: ${row.notes}`);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

function knownWords(e: KnownMessageEvent): string {
  const k = knownMessage(e.message);
  if (k === undefined) return `${e.text}.`;
  let words = `${FAMILY_WORDS[k.family]}: ${k.meaning}`;
  const v = e.values;
  if (v.reason !== undefined) {
    const del = DEL_REASONS[v.reason];
    const r = del === undefined ? lookupReason(v.reason, v.code === undefined ? undefined : Number(v.code)) : undefined;
    if (del !== undefined) words += ` ${v.reason}: ${del.meaning}.`;
    else if (r !== undefined) words += ` ${v.code !== undefined ? `Reason ${v.code}` : 'The reason'}: ${r.meaning}.`;
    else words += ` Reason given: ${v.reason}`;
  }
  if (v.notify !== undefined) words += ` ${stop(explainNotify(v.notify))}`;
  if (e.row !== undefined) words += rowWords(e.row);
  if (k.nextStep !== undefined) words += ` Next: ${k.nextStep}`;
  return words;
}

/** What an event means and what it carries, in plain words. */
export function explain(e: LogEvent): string {
  const who = 'connection' in e && e.connection !== undefined ? ` [${e.connection}]` : '';
  switch (e.kind) {
    case 'ike-message':
      return explainIke(e) + who;
    case 'phase1-start':
      return `The client starts phase 1 (IKE SA negotiation) with the peer at ${e.peer}.${who}`;
    case 'ike-sa-established':
      return `Phase 1 is complete: the IKE SA is established${e.myCookie ? `; our cookie ${formatCookie(e.myCookie)}` : ''}${e.hisCookie ? `, the peer’s cookie ${formatCookie(e.hisCookie)}` : ''}. The two cookies name the IKE SA in both logs and captures.${who}`;
    case 'phase2-start':
      return `The client starts phase 2 (quick mode, message id ${hexUpper(e.messageId)}) to build an IPsec SA. ${clientIdWords('Initiator', e.initiator)}; ${clientIdWords('Responder', e.responder)}.${who}`;
    case 'loading-ipsec-sa':
      return `Phase 2 is complete: the IPsec SA of quick mode ${hexUpper(e.messageId)} is loaded into the driver with outbound SPI ${hexUpper(e.outboundSpi)} (the peer’s) and inbound SPI ${hexUpper(e.inboundSpi)} (ours).${who}`;
    case 'retransmit':
      return `No answer to the last message arrived in time; the client resends it. Repeated, this means the peer is not answering.${who}`;
    case 'exceeded-attempts':
      return e.phase === 1
        ? `Phase 1 gave up after ${e.attempts} attempts without an answer: the peer is not responding.${who}`
        : `Phase 2 gave up after its retries and deletes the IPsec SA being negotiated.${who}`;
    case 'received-notify':
      return `${stop(`The peer sent a ${explainNotify(e.notify)}`)}${who}`;
    case 'deleting-sa':
      return `The ${e.sa === 'IKE' ? 'IKE (phase 1)' : 'IPsec (phase 2)'} SA is being deleted${e.reason ? ` (reason ${e.reason})` : ''}.${who}`;
    case 'status':
      return `${STATUS_WORDS[e.status]}${who}`;
    case 'banner':
      return e.version !== undefined
        ? `Log Viewer banner: Cisco VPN Client version ${e.version}.`
        : `Log Viewer banner line: ${e.text}`;
    case 'record': {
      const meaning = logViewerIdMeaning(e.eventClass, e.eventId);
      return `Log Viewer record ${e.sequence} at ${e.time} on ${e.date}: severity ${e.severity} level ${e.level}, class ${e.eventClass}, event 0x${e.eventId}${meaning !== undefined ? ` (${meaning})` : ''}; its message follows.`;
    }
    case 'packet-received':
      return `An ISAKMP packet arrived from ${e.peer}.${who}`;
    case 'sa-established':
      return `Phase ${e.phase} is up: ${e.text}`;
    case 'message-text':
      return e.row !== undefined
        ? `A gateway log row the knowledge table does not know: ${e.text}${rowWords(e.row)}`
        : `A message of the log’s own the knowledge table does not know (a Log Viewer record’s text or a gateway’s message): ${e.text}`;
    case 'known-message':
      return knownWords(e) + who;
    case 'note':
      return NOTE_WORDS[e.note];
    case 'blank':
      return 'An empty line.';
    case 'unknown':
      return `A line the grammar does not read (a note, a cut-off line, another program's output), kept as written: ${e.text}`;
  }
}
