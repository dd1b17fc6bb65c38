/**
 * The plaintext path on real traffic: every corpus capture with keys, decrypted by `@oaklog/crypto` and rendered with
 * its decrypted chains, checked against tshark's own decryption (the manifest's decrypted goldens): the payload list of
 * each decrypted message, and the SPIs and client IDs the session prints.
 */
import { readCorpusBytes, readCorpusJson, readCorpusText } from '@oaklog/corpus';
import { parseKeysJson } from '@oaklog/crypto';
import { decode, PayloadType } from '@oaklog/isakmp';
import {
  type ClientId,
  format,
  formatClientId,
  type IkeMessageEvent,
  type LogEvent,
  parse,
  payloadNumber,
} from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { createSession } from '../src/index';
import { captureHashes, captures, decryptedChains, ikeDatagrams, loggedMessages } from './helpers';

type Json = unknown;

/** Every value of `key` anywhere in a tshark JSON tree. */
function collect(node: Json, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) collect(x, key, out);
  else if (node !== null && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === key) for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') out.push(x);
      collect(v, key, out);
    }
  return out;
}

interface TsharkPacket {
  _source: {
    layers: {
      frame: { 'frame.number': string };
      ip?: { 'ip.src': string; 'ip.dst': string };
      ipv6?: { 'ipv6.src': string; 'ipv6.dst': string };
      isakmp?: Record<string, Json>;
    };
  };
}

/** Decrypted payload types per frame, as tshark lists them under `isakmp.enc.data`. */
function tsharkDecrypted(packets: readonly TsharkPacket[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const p of packets) {
    const enc = p._source.layers.isakmp?.['isakmp.enc.data'] as Record<string, Json> | undefined;
    const types = enc?.['isakmp.typepayload'];
    if (types === undefined) continue;
    out.set(
      Number(p._source.layers.frame['frame.number']),
      (Array.isArray(types) ? types : [types]).map((t) => Number(t)),
    );
  }
  return out;
}

/** Every ID payload tshark decoded in a tree, in order. */
function idPayloads(node: Json, out: Record<string, Json>[] = []): Record<string, Json>[] {
  if (Array.isArray(node)) for (const x of node) idPayloads(x, out);
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, Json>;
    if ('isakmp.id.type' in o) out.push(o);
    else for (const v of Object.values(o)) idPayloads(v, out);
  }
  return out;
}

/**
 * The client ID line of one tshark ID payload (RFC 2407 4.6.2.1 types: 1/5 address, 4/6 subnet, 7/8 range, IPv4/IPv6),
 * or undefined for names and other types.
 */
function tsharkClientId(p: Record<string, Json>): string | undefined {
  const data = (p['isakmp.id.data'] ?? {}) as Record<string, string>;
  const v = (field: string) => data[`isakmp.id.data.${field}`] ?? '';
  const ip = ['1', '4', '7'].includes(String(p['isakmp.id.type'])) ? 'ipv4' : 'ipv6';
  const id: ClientId['id'] | undefined = {
    '1': { type: 'address', address: v('ipv4_addr') } as const,
    '5': { type: 'address', address: v('ipv6_addr') } as const,
    '4': { type: 'subnet', address: v('ipv4_addr'), mask: v('ipv4_subnet') } as const,
    '6': { type: 'subnet', address: v('ipv6_addr'), mask: v('ipv6_subnet') } as const,
    '7': { type: 'range', start: v(`${ip}_range_start`), end: v(`${ip}_range_end`) } as const,
    '8': { type: 'range', start: v(`${ip}_range_start`), end: v(`${ip}_range_end`) } as const,
  }[String(p['isakmp.id.type'])];
  if (id === undefined) return undefined;
  return formatClientId({ id, protocol: Number(p['isakmp.id.protoid']), port: Number(p['isakmp.id.port']) });
}

/**
 * The client IDs the phase 2 start line must show for each quick mode tshark decrypted, by message ID: from its first
 * message's two ID payloads, or the IKE peers' addresses when it has none (RFC 2409 5.5); none when an ID is a name.
 * Only quick modes whose first message `local` sent.
 */
function tsharkPhase2Starts(packets: readonly TsharkPacket[], local: string): Map<number, string> {
  const out = new Map<number, string>();
  const seen = new Set<number>();
  for (const p of packets) {
    const isakmp = p._source.layers.isakmp;
    const messageId = Number(isakmp?.['isakmp.messageid']);
    if (isakmp === undefined || isakmp['isakmp.exchangetype'] !== '32' || seen.has(messageId)) continue;
    seen.add(messageId);
    const enc = isakmp['isakmp.enc.data'];
    const l = p._source.layers;
    const [src, dst] = l.ip ? [l.ip['ip.src'], l.ip['ip.dst']] : [l.ipv6?.['ipv6.src'], l.ipv6?.['ipv6.dst']];
    if (enc === undefined || src !== local || dst === undefined) continue;
    const ids = idPayloads(enc);
    const pair =
      ids.length === 0
        ? [src, dst].map((address) => formatClientId({ id: { type: 'address', address }, protocol: 0, port: 0 }))
        : ids.length === 2
          ? ids.map(tsharkClientId)
          : [];
    if (pair.length === 2 && pair.every((x) => x !== undefined)) out.set(messageId, pair.join(' | '));
  }
  return out;
}

const colonHex = (n: number) => (n >>> 0).toString(16).padStart(8, '0').match(/../g)?.join(':');

const withKeys = captures().filter((c) => c.keys !== undefined && c.tsharkDecryptedGolden !== undefined);

it('the corpus has captures with keys and tshark decryptions', () => {
  expect(withKeys.length).toBeGreaterThan(0);
});

describe.each(withKeys.map((c) => ({ name: c.name, c })))('$name', ({ c }) => {
  const bytes = readCorpusBytes(c.path);
  const datagrams = ikeDatagrams(bytes);
  const plaintexts = decryptedChains(c, datagrams);
  const session = createSession();
  // The events of each datagram, by the frame the session names (an `Established` line waits for its conversation's
  // next message, and later events wait behind it, so a push may hand out an earlier datagram's events).
  const items = [
    ...datagrams.flatMap((d, i) => session.pushReadItems(session.read(d), plaintexts[i])),
    ...session.finishItems(),
  ];
  const perDatagram = datagrams.map((d) => items.filter((x) => x.frame === d.frame).map((x) => x.event));
  const text = format(items.map((x) => x.event));
  const parsed = parse(text);
  const golden = readCorpusJson<TsharkPacket[]>(c.tsharkDecryptedGolden ?? '');

  it('is the capture the manifest and tshark’s goldens describe (same SHA-256)', () => {
    const { recorded, actual } = captureHashes(c, bytes);
    expect(actual).toBe(recorded);
  });

  it('has keys that parse without errors', () => {
    const { diagnostics } = parseKeysJson(readCorpusText(c.keys ?? ''));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('parses with zero diagnostics', () => {
    expect(parsed.diagnostics).toEqual([]);
    expect(format(parsed.events)).toBe(text);
  });

  it('lists the payloads tshark decrypted, message for message', () => {
    const tshark = tsharkDecrypted(golden);
    // The manifest marks the messages tshark decrypted into garbage (`[Malformed Packet]`): nothing to compare there.
    const malformed = new Set(c.expect?.messages?.filter((m) => m.decrypted === false).map((m) => m.frame));
    const compared = new Set<number>();
    datagrams.forEach((d, i) => {
      const plaintext = plaintexts[i];
      const line = perDatagram[i]?.find((e): e is IkeMessageEvent => e.kind === 'ike-message');
      if (plaintext === undefined || line === undefined || line.retransmission || malformed.has(d.frame)) return;
      // tshark does not reassemble IKEv1 fragments: a reassembled message has nothing of tshark's to compare with.
      if (decode(d.bytes).payloads.some((p) => p.type === PayloadType.FRAGMENT)) return;
      const theirs = tshark.get(d.frame);
      expect(theirs, `frame ${d.frame}: tshark did not decrypt what we did`).toBeDefined();
      expect(
        line.items.map((item) => payloadNumber(item.payload)),
        `frame ${d.frame}`,
      ).toEqual(theirs);
      compared.add(d.frame);
    });
    // Every message tshark decrypted (and we did not print as a retransmission) was decrypted and compared.
    const retransmitted = datagrams
      .filter((_, i) => perDatagram[i]?.some((e) => e.kind === 'ike-message' && e.retransmission))
      .map((d) => d.frame);
    const missed = [...tshark.keys()].filter(
      (f) => !malformed.has(f) && !compared.has(f) && !retransmitted.includes(f),
    );
    expect(missed, 'frames tshark decrypted and we did not').toEqual([]);
  });

  it('prints SPIs that tshark found in the quick-mode payloads', () => {
    const spis = new Set(collect(golden, 'isakmp.spi'));
    for (const e of parsed.events)
      if (e.kind === 'loading-ipsec-sa') {
        expect(spis).toContain(colonHex(e.outboundSpi));
        expect(spis).toContain(colonHex(e.inboundSpi));
      }
  });

  it('starts phase 2 with the client IDs (addresses, subnets, ranges) tshark found, for each quick mode we began', () => {
    const expected = tsharkPhase2Starts(golden, datagrams[0]?.src ?? '');
    const events: LogEvent[] = parsed.events;
    const ours = new Map<number, string>();
    for (const e of events)
      if (e.kind === 'phase2-start' && e.initiator && e.responder)
        ours.set(e.messageId, `${formatClientId(e.initiator)} | ${formatClientId(e.responder)}`);
    expect(ours).toEqual(expected);
  });
});

/** Our list item in charon's words (`parsed ID_PROT response 0 [ ID CERT SIG ]`). */
const CHARON: Readonly<Record<string, string>> = {
  SA: 'SA',
  VID: 'V',
  KE: 'KE',
  NON: 'No',
  'NAT-D': 'NAT-D',
  ID: 'ID',
  CERT: 'CERT',
  CERT_REQ: 'CERTREQ',
  SIG: 'SIG',
  HASH: 'HASH',
  'NOTIFY:STATUS_INITIAL_CONTACT': 'N(INITIAL_CONTACT)',
};

/**
 * The main-mode messages each charon of a case logged, in order, as `request|response [ list ]`: what it generated
 * and parsed, its fragment carriers (`FRAG(n)`) left out, so a fragmented message appears once, whole.
 */
function charonMainMode(notes: string): string[][] {
  return notes
    .split(/^### side /m)
    .filter((section) => /^\w+: charon\.log/.test(section))
    .map((section) =>
      [...section.matchAll(/(?:generating|parsed) ID_PROT (request|response) 0 \[ (.*) \]$/gm)]
        .filter((m) => !m[2]?.startsWith('FRAG'))
        .map((m) => `${m[1]} [ ${m[2]} ]`),
    );
}

const fragmentation = withKeys.filter(
  (c) =>
    c.name.includes('fragmentation') || loggedMessages(ikeDatagrams(readCorpusBytes(c.path))).some((l) => l.fragmented),
);

describe.each(fragmentation.map((c) => ({ name: c.name, c })))('certificate main mode of $name', ({ c }) => {
  const datagrams = ikeDatagrams(readCorpusBytes(c.path));
  const session = createSession();
  const plaintexts = decryptedChains(c, datagrams);
  const events = parse(
    `${[...datagrams.flatMap((d, i) => session.push(d, plaintexts[i])), ...session.finish()].join('\n')}\n`,
  ).events;
  const mainMode = events.filter((e): e is IkeMessageEvent => e.kind === 'ike-message' && e.exchange === 'MM');

  it('prints each message once, whole and decrypted, as charon logged it', () => {
    const ours = mainMode
      .filter((e) => !e.retransmission)
      .map((e) => {
        const words = e.items.map((i) => CHARON[i.notify ? `NOTIFY:${i.notify}` : i.payload] ?? `?${i.payload}`);
        return `${e.direction === 'sent' ? 'request' : 'response'} [ ${words.join(' ')} ]`;
      });
    const logs = charonMainMode(readCorpusText(c.notes ?? ''));
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) expect(ours).toEqual(log);
    expect(ours.filter((x) => x.includes('CERT '))).toHaveLength(2);
  });

  it('establishes the IKE SA after the sixth main-mode line', () => {
    const sixth = events.indexOf(mainMode[5]!);
    expect(mainMode.filter((e) => !e.retransmission)).toHaveLength(6);
    expect(events[sixth + 1]?.kind).toBe('ike-sa-established');
  });
});
