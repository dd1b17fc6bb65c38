/**
 * Event generators. Each builds events the way code would (no `source`), with exactly the fields `parse` sets, so that
 * `parse(format(events)).events` minus `source` equals the events.
 */
import fc from 'fast-check';
import type { ClientId, Dialect, IkeMessageEvent, LinePrefix, LogEvent, PayloadItem } from '../src/index';
import { Exchange, exchangeWord, Notify, Payload, payloadWord, UNREADABLE_ITEM } from '../src/index';

const octet = fc.integer({ min: 0, max: 255 });
export const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const two = (n: number) => String(n).padStart(2, '0');
export const time = fc
  .tuple(
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([h, m, s, ms]) => `${two(h)}:${two(m)}:${two(s)}.${String(ms).padStart(3, '0')}`);

const word = fc.constantFrom(
  'Pre-share',
  'Demo',
  'Balt',
  'Corporate',
  'Access',
  'My Connections\\Test',
  'HQ',
  'vpn-1',
  'Site_2',
  'Ünïcode',
);
/** Characters people put in Policy Editor connection names. */
const nameChar = fc.constantFrom(..."aZk09 -_\\.()&:#'/");
/**
 * Policy Editor connection names: spaces, dashes, digits and `\` folders included, plus names that cannot print as
 * themselves (a leading time, surrounding spaces, a message after a dash): `format` must refuse those.
 */
export const connection = fc.oneof(
  { weight: 3, arbitrary: fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')) },
  { weight: 2, arbitrary: fc.string({ unit: nameChar, minLength: 1, maxLength: 14 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '12:00:00 Office',
      '  A  ',
      '4-16: VPN',
      'A - B',
      'Deleting IPsec SA test',
      'Received',
      'Site-',
      'VPN (Home): Test',
      '2003-12-03 HQ',
    ),
  },
);

const prefix: fc.Arbitrary<LinePrefix> = fc.record({ time, connection }, { requiredKeys: [] });

export const eol = fc.constantFrom('\n', '\r\n');

const canonicalPayloads = [
  'SA',
  'KE',
  'NON',
  'ID',
  'HASH',
  'SIG',
  'CERT',
  'CERT_REQ',
  'DEL',
  'VID',
  'ATTR',
  'NAT-D',
  'NAT-OA',
];
const notifyNames = Object.keys(Notify);
export const payloadItem: fc.Arbitrary<PayloadItem> = fc.oneof(
  fc.constantFrom(...canonicalPayloads).map((payload) => ({ payload })),
  fc.constantFrom('Xauth', 'dpd', 'Frag', 'Nat-T', 'Unity', '?').map((vendor) => ({ payload: 'VID', vendor })),
  // Vendor strings as logs print them, and ones that cannot print (`a)b`).
  fc
    .string({ unit: fc.constantFrom(...'Ms Win2(5.0)-_'), maxLength: 12 })
    .map((vendor) => ({ payload: 'VID', vendor })),
  fc.constantFrom(...notifyNames).map((notify) => ({ payload: 'NOTIFY', notify })),
  fc.constantFrom('36136', 'NO PROPOSAL', 'ERROR_99').map((notify) => ({ payload: 'NOTIFY', notify })),
  fc.constant({ payload: 'NAT-D', spelling: 'NATD' }),
  // oaklog's own words: a number no client named, and the mark of a message decoded in part.
  fc.integer({ min: 0, max: 255 }).map((n) => ({ payload: payloadWord(n) })),
  fc.constant(UNREADABLE_ITEM),
);

const hexDigits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** `SENDING>>>> ISAKMP OAK …` in all three dialects' shapes, clipped ones included. */
export const ikeMessage: fc.Arbitrary<IkeMessageEvent> = fc
  .record({
    prefix,
    sent: fc.boolean(),
    arrowStyle: fc.integer({ min: 0, max: 2 }),
    exchange: fc.oneof(
      fc.constantFrom(...Object.keys(Exchange)),
      fc.integer({ min: 0, max: 255 }).map((n) => exchangeWord(n)),
    ),
    encrypted: fc.boolean(),
    gateway: fc.option(fc.record({ initCookie: hexDigits(16, 16), msgId: hexDigits(1, 8) }), { nil: undefined }),
    items: fc.array(payloadItem, { maxLength: 8 }),
    retransmission: fc.boolean(),
    tail: fc.oneof(
      fc.constant(undefined),
      ipv4.map((peer) => ({ peer })),
      fc
        .array(fc.record({ address: ipv4, port: fc.integer({ min: 0, max: 65535 }) }), { minLength: 1, maxLength: 2 })
        .map((endpoints) => ({ endpoints })),
    ),
    clip: fc.option(fc.constantFrom('NO', 'VID(Na', 'NOTIFY:STAT', 'HAS', ''), { nil: undefined }),
  })
  .map((r): IkeMessageEvent => {
    const arrows = r.sent
      ? ['SENDING>>>>', 'SENDING>>>', 'SENDING >>>']
      : ['RECEIVED<<<<', 'RECEIVED<<<', 'RECEIVING <<<'];
    const clipped = r.clip === undefined ? undefined : r.items.length > 0 ? `, ${r.clip}` : r.clip;
    const retransmission = r.retransmission && clipped === undefined;
    const e: IkeMessageEvent = {
      kind: 'ike-message',
      ...r.prefix,
      direction: r.sent ? 'sent' : 'received',
      arrow: arrows[r.arrowStyle] ?? 'SENDING>>>>',
      exchange: r.exchange,
      encrypted: r.encrypted,
      items: retransmission ? [] : r.items,
      retransmission,
      ...(r.gateway ? { gateway: r.gateway } : {}),
      ...(clipped !== undefined ? { clipped } : (r.tail ?? {})),
    };
    return e;
  });

const clientId: fc.Arbitrary<ClientId> = fc.record({
  id: fc.oneof(
    ipv4.map((address) => ({ type: 'address' as const, address })),
    fc.tuple(ipv4, ipv4).map(([address, mask]) => ({ type: 'subnet' as const, address, mask })),
    fc.tuple(ipv4, ipv4).map(([start, end]) => ({ type: 'range' as const, start, end })),
  ),
  protocol: fc.integer({ min: 0, max: 255 }),
  port: fc.integer({ min: 0, max: 65535 }),
});

const cookie = fc.uint8Array({ minLength: 8, maxLength: 8 });

/** Free-text lines no rule reads (pasted notes). */
export const note = fc.constantFrom(
  'this is a note from the engineer',
  'see ticket #4711',
  '--- cut here ---',
  'Note: peer was rebooted at 10:00',
);

/** Log Viewer messages the knowledge table knows, with the values their wording carries (written by hand). */
const logViewerKnown: LogEvent[] = [
  { kind: 'known-message', message: 'vpnclient-log.supports', text: 'Peer supports DPD', values: { feature: 'DPD' } },
  {
    kind: 'known-message',
    message: 'vpnclient-log.begin',
    text: 'Begin connection with VPN server 198.51.100.7',
    values: { peer: '198.51.100.7' },
  },
  {
    kind: 'known-message',
    message: 'vpnclient-log.mode-cfg-attr',
    text: 'MODE_CFG_REPLY: Attribute = INTERNAL_IPV4_ADDRESS: , value = 10.20.30.40',
    values: { attribute: 'INTERNAL_IPV4_ADDRESS', detail: ':', value: '10.20.30.40' },
  },
  {
    kind: 'known-message',
    message: 'vpnclient-log.unable-p1',
    text: 'Unable to establish Phase 1 SA with server "203.0.113.20" because of "DEL_REASON_PEER_NOT_RESPONDING"',
    values: { peer: '203.0.113.20', reason: 'DEL_REASON_PEER_NOT_RESPONDING' },
  },
];

/** `vpnclient` command-line lines and SonicWALL messages, with the values their wording carries (written by hand). */
export const knownMessage: fc.Arbitrary<LogEvent> = fc.constantFrom<LogEvent>(
  {
    kind: 'known-message',
    message: 'vpnclient-cli.connection-secure',
    text: 'Your VPN connection is secure.',
    values: {},
  },
  {
    kind: 'known-message',
    message: 'vpnclient-cli.contacting',
    text: 'Contacting the gateway at 198.51.100.9 (balancing)',
    values: { peer: '198.51.100.9', balancing: '(balancing)' },
  },
  {
    kind: 'known-message',
    message: 'vpnclient-cli.tcp',
    text: 'Initiating TCP to 203.0.113.20, port 10000',
    values: { peer: '203.0.113.20', port: '10000' },
  },
  {
    kind: 'known-message',
    message: 'vpnclient-cli.reason',
    text: 'Reason 442: Failed to enable Virtual Adapter.',
    values: { code: '442', reason: 'Failed to enable Virtual Adapter.' },
  },
  { kind: 'known-message', message: 'vpnclient-cli.bind-in-use', text: 'bind: Address already in use', values: {} },
  {
    kind: 'known-message',
    message: 'vpnclient-cli.nat-active',
    text: 'NAT passthrough is active on port UDP 4500',
    values: { transport: 'UDP', port: '4500' },
  },
  {
    kind: 'known-message',
    message: 'sonicwall.header-failed',
    text: 'Header verification failed openswan.ip, 500 sonicwall.ip, 500',
    values: { message: 'Header verification failed', source: 'openswan.ip, 500', destination: 'sonicwall.ip, 500' },
  },
  {
    kind: 'known-message',
    message: 'sonicwall.notify',
    text: 'Received notify: INVALID_ID_INFO',
    values: { message: 'Received notify: INVALID_ID_INFO', notify: 'INVALID_ID_INFO' },
  },
);

/** SonicWALL rows around a message, their columns written by hand as the row's text gives them. */
export const rowEvent: fc.Arbitrary<LogEvent> = fc.constantFrom<LogEvent>(
  {
    kind: 'known-message',
    message: 'sonicwall.id-mismatch',
    text: 'IKE Responder: Proposed IKE ID mismatch',
    values: { message: 'IKE Responder: Proposed IKE ID mismatch' },
    row: {
      layout: 'tabs',
      lead: '1\t03/02/2012 14:07:44.120\tWarning\tVPN IKE\t',
      trail: '\t198.51.100.7, 500\t203.0.113.20, 500\tVPN Policy NOT found for proposed ID type: KEY ID\t ',
      number: 1,
      date: '03/02/2012',
      time: '14:07:44.120',
      priority: 'Warning',
      category: 'VPN IKE',
      source: '198.51.100.7, 500',
      destination: '203.0.113.20, 500',
      notes: 'VPN Policy NOT found for proposed ID type: KEY ID',
    },
  },
  {
    kind: 'message-text',
    text: 'Connection Closed',
    row: {
      layout: 'syslog',
      lead: '<134>id=firewall sn=0017C5000001 time="2012-03-02 14:12:40 UTC" pri=6 c=1024 m=537 msg="',
      trail: '" n=40211 src=10.1.1.5:51500:X0 dst=192.0.2.53:53:X1',
      date: '2012-03-02',
      time: '14:12:40',
      priority: '6',
      category: '1024',
      eventId: '537',
      source: '10.1.1.5:51500:X0',
      destination: '192.0.2.53:53:X1',
    },
  },
);

/** Human additions inside a paste. */
export const noteEvent: fc.Arbitrary<LogEvent> = fc.constantFrom<LogEvent>(
  { kind: 'note', note: 'comment', text: '[These last two appear three times each]' },
  { kind: 'note', note: 'elision', text: '...' },
  { kind: 'note', note: 'markup', text: '[code]' },
);

/** What a paste puts before a line. */
const quote = fc.constantFrom('- ', '> ', '[SIZE="1"][INDENT]');

/** Events of the SafeNet (and gateway) dialects. */
export const safenetEvent: fc.Arbitrary<LogEvent> = fc.oneof(
  ikeMessage,
  fc
    .record({ prefix, peer: fc.oneof(ipv4, fc.constant('<peer>')) })
    .map(({ prefix: p, peer }) => ({ kind: 'phase1-start' as const, ...p, peer })),
  fc
    .record({
      prefix,
      myCookie: fc.option(cookie, { nil: undefined }),
      hisCookie: fc.option(cookie, { nil: undefined }),
      inline: fc.boolean(),
    })
    .map(
      ({ prefix: p, myCookie, hisCookie, inline }): LogEvent => ({
        kind: 'ike-sa-established',
        ...p,
        ...(myCookie ? { myCookie } : {}),
        ...(hisCookie ? { hisCookie } : {}),
        ...(inline && (myCookie || hisCookie) ? { layout: 'inline' as const } : {}),
      }),
    ),
  fc
    .record({
      prefix,
      messageId: u32,
      initiator: fc.option(clientId, { nil: undefined }),
      responder: fc.option(clientId, { nil: undefined }),
      inline: fc.boolean(),
    })
    .map(
      ({ prefix: p, messageId, initiator, responder, inline }): LogEvent => ({
        kind: 'phase2-start',
        ...p,
        messageId,
        ...(initiator ? { initiator } : {}),
        ...(responder ? { responder } : {}),
        ...(inline && (initiator || responder) ? { layout: 'inline' as const } : {}),
      }),
    ),
  fc.record({ prefix, messageId: u32, outboundSpi: u32, inboundSpi: u32, lv: fc.boolean() }).map(
    ({ prefix: p, lv, ...rest }): LogEvent => ({
      kind: 'loading-ipsec-sa',
      ...p,
      ...rest,
      ...(lv ? { style: 'vpnclient' as const } : {}),
    }),
  ),
  prefix.map((p): LogEvent => ({ kind: 'retransmit', ...p })),
  fc
    .record({ prefix, attempts: fc.integer({ min: 1, max: 99 }) })
    .map(({ prefix: p, attempts }): LogEvent => ({ kind: 'exceeded-attempts', ...p, phase: 1, attempts })),
  prefix.map((p): LogEvent => ({ kind: 'exceeded-attempts', ...p, phase: 2 })),
  fc
    .record({ prefix, notify: fc.constantFrom(...notifyNames) })
    .map(({ prefix: p, notify }): LogEvent => ({ kind: 'received-notify', ...p, notify })),
  fc
    .record({
      prefix,
      d: fc.constantFrom(
        { sa: 'IKE' as const, text: 'Deleting IKE SA' },
        { sa: 'IPsec' as const, text: 'Deleting IPsec SA (Message ID = 61965C8D)' },
        {
          sa: 'IKE' as const,
          text: 'Marking IKE SA for deletion  (I_Cookie=7C41A0D2E9B35F18 R_Cookie=0000000000000000) reason = DEL_REASON_PEER_NOT_RESPONDING',
          reason: 'DEL_REASON_PEER_NOT_RESPONDING',
        },
        {
          sa: 'IKE' as const,
          text: 'IKE SA MM:7c41a0d2 deleted (reason = DEL_REASON_RESET_SADB)',
          reason: 'DEL_REASON_RESET_SADB',
        },
      ),
    })
    .map(({ prefix: p, d }): LogEvent => ({ kind: 'deleting-sa', ...p, ...d })),
  fc.record({ prefix, peer: ipv4 }).map(({ prefix: p, peer }): LogEvent => ({ kind: 'packet-received', ...p, peer })),
  fc.constantFrom<LogEvent>({ kind: 'blank', text: '' }, { kind: 'blank', text: '   ' }),
  note.map((text): LogEvent => ({ kind: 'unknown', text })),
  knownMessage,
  noteEvent,
  rowEvent,
  // Pasted: every line of the event carries the paste's prefix.
  fc.tuple(knownMessage, quote).map(([e, q]): LogEvent => ({ ...e, quote: q })),
);

/** A Log Viewer message: typed where a rule reads it, free text otherwise. */
const logViewerBody: fc.Arbitrary<LogEvent> = fc.oneof(
  ikeMessage.map((e): LogEvent => {
    const { time: _t, connection: _c, ...rest } = e;
    return rest;
  }),
  ipv4.map((peer): LogEvent => ({ kind: 'packet-received', peer })),
  fc.constantFrom<LogEvent>(
    { kind: 'retransmit', text: 'Retransmitting last packet!' },
    {
      kind: 'sa-established',
      phase: 1,
      text: 'Established Phase 1 SA.  1 Crypto Active IKE SA, 0 User Authenticated IKE SA in the system',
    },
    {
      kind: 'sa-established',
      phase: 2,
      text: 'Established Phase 2 SA.  1 Crypto Active IPSec SA, 1 User Authenticated IPSec SA in the system',
    },
    ...logViewerKnown,
    { kind: 'message-text', text: 'something the client says' },
  ),
);

const record = fc.record({
  sequence: fc.integer({ min: 1, max: 99999 }),
  time,
  date: fc.constantFrom('01/24/06', '03/14/2011', '12/31/99'),
  severity: fc.constantFrom('Info', 'Warning', 'Debug', 'Error'),
  level: fc.integer({ min: 1, max: 15 }),
  eventClass: fc.constantFrom('IKE', 'CM', 'CVPND', 'CLI', 'GUI', 'CERT', 'IPSEC'),
  eventId: hexDigits(8, 8).map((h) => h.toUpperCase()),
});

/** A Log Viewer file: banner, then records (head line, message continued on it or on the next line), blank-separated. */
export const logViewerEvents: fc.Arbitrary<LogEvent[]> = fc
  .record({
    banner: fc.boolean(),
    records: fc.array(
      fc.record({
        head: record,
        body: logViewerBody,
        sep: fc.constantFrom<string | undefined>(undefined, ' ', '\t'),
        eol,
      }),
      {
        maxLength: 12,
      },
    ),
  })
  .map(({ banner, records }) => {
    const out: LogEvent[] = [];
    if (banner)
      out.push(
        { kind: 'banner', text: 'Cisco Systems VPN Client Version 4.8.01 (0640)', version: '4.8.01 (0640)', eol: '\n' },
        { kind: 'banner', text: 'Client Type(s): Linux', eol: '\n' },
        { kind: 'blank', text: '', eol: '\n' },
      );
    for (const r of records) {
      out.push({ kind: 'record', ...r.head, eol: r.sep ?? r.eol });
      out.push({ ...r.body, eol: r.eol } as LogEvent);
      out.push({ kind: 'blank', text: '', eol: r.eol });
    }
    return out;
  });

/** SafeNet-dialect event sequences, each event with a line ending (the last may have none). */
export const safenetEvents: fc.Arbitrary<LogEvent[]> = fc
  .tuple(fc.array(fc.tuple(safenetEvent, eol), { maxLength: 20 }), fc.boolean())
  .map(([pairs, openEnd]) =>
    pairs.map(([e, end], k) => {
      // An empty last line without an ending is no line at all.
      const last = openEnd && k === pairs.length - 1 && !(e.kind === 'blank' && e.text === '');
      return { ...e, eol: last ? '' : end } as LogEvent;
    }),
  );

/** A sequence with the dialect it should be read in. */
export const dialectEvents: fc.Arbitrary<{ dialect: Dialect; events: LogEvent[] }> = fc.oneof(
  safenetEvents.map((events) => ({ dialect: 'safenet' as const, events })),
  // A gateway's own free-text lines are its messages, not unknown lines.
  safenetEvents.map((events) => ({
    dialect: 'gateway' as const,
    events: events.map((e): LogEvent => (e.kind === 'unknown' ? { ...e, kind: 'message-text' } : e)),
  })),
  logViewerEvents.map((events) => ({ dialect: 'cisco-vpnclient' as const, events })),
);

/** Removes what only parsing adds (`source`). */
export function strip(events: readonly LogEvent[]): LogEvent[] {
  return events.map((e) => {
    const { source: _s, ...rest } = e;
    return rest as LogEvent;
  });
}

/** Known payload words, for tests that need them. */
export const payloadWords = Object.keys(Payload);
