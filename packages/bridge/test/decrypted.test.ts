/**
 * The plaintext path on real traffic: every corpus capture with keys, decrypted by the test-only decryptor and rendered
 * with its decrypted chains, checked against tshark's own decryption (the manifest's decrypted goldens): the payload
 * list of each decrypted message, and the SPIs and client IDs the session prints.
 */
import { createHash } from 'node:crypto';
import { type KeysFile, readCorpusBytes, readCorpusJson } from '@oaklog/corpus';
import { format, type IkeMessageEvent, type LogEvent, parse, payloadNumber } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { createSession } from '../src/index';
import { createDecryptor } from './decrypt';
import { captures, ikeDatagrams } from './helpers';

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
  _source: { layers: { frame: { 'frame.number': string }; isakmp?: Record<string, Json> } };
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

const colonHex = (n: number) => (n >>> 0).toString(16).padStart(8, '0').match(/../g)?.join(':');

const withKeys = captures().filter((c) => c.keys !== undefined && c.tsharkDecryptedGolden !== undefined);

it('the corpus has captures with keys and tshark decryptions', () => {
  expect(withKeys.length).toBeGreaterThan(0);
});

describe.each(withKeys.map((c) => ({ name: c.name, c })))('$name', ({ c }) => {
  const bytes = readCorpusBytes(c.path);
  const current = c.files?.find((f) => f.path === c.path)?.sha256 === createHash('sha256').update(bytes).digest('hex');
  const datagrams = ikeDatagrams(bytes);
  const decrypt = createDecryptor(readCorpusJson<KeysFile>(c.keys ?? ''));
  const plaintexts = datagrams.map((d) => decrypt(d.bytes));
  const session = createSession();
  const perDatagram = datagrams.map((d, i) => session.pushEvents(d, plaintexts[i]));
  const text = format([...perDatagram.flat(), ...session.finishEvents()]);
  const parsed = parse(text);

  it('parses with zero diagnostics', () => {
    expect(parsed.diagnostics).toEqual([]);
    expect(format(parsed.events)).toBe(text);
  });

  it.runIf(current)('lists the payloads tshark decrypted, message for message', () => {
    const tshark = tsharkDecrypted(readCorpusJson<TsharkPacket[]>(c.tsharkDecryptedGolden ?? ''));
    let compared = 0;
    datagrams.forEach((d, i) => {
      const plaintext = plaintexts[i];
      const line = perDatagram[i]?.find((e): e is IkeMessageEvent => e.kind === 'ike-message');
      if (plaintext === undefined || line === undefined || line.retransmission) return;
      const theirs = tshark.get(d.frame);
      expect(theirs, `frame ${d.frame}: tshark did not decrypt what we did`).toBeDefined();
      expect(
        line.items.map((item) => payloadNumber(item.payload)),
        `frame ${d.frame}`,
      ).toEqual(theirs);
      compared++;
    });
    // Where tshark decrypted messages, we must have decrypted and compared some too.
    if (tshark.size > 0) expect(compared).toBeGreaterThan(0);
  });

  it.runIf(current)('prints SPIs and client IDs that tshark found in the quick-mode payloads', () => {
    const golden = readCorpusJson<Json>(c.tsharkDecryptedGolden ?? '');
    const spis = new Set(collect(golden, 'isakmp.spi'));
    const addresses = new Set(collect(golden, 'isakmp.id.data.ipv4_addr'));
    const events: LogEvent[] = parsed.events;
    for (const e of events) {
      if (e.kind === 'loading-ipsec-sa') {
        expect(spis).toContain(colonHex(e.outboundSpi));
        expect(spis).toContain(colonHex(e.inboundSpi));
      }
      if (e.kind === 'phase2-start')
        for (const id of [e.initiator?.id, e.responder?.id])
          if (id?.type === 'address') expect(addresses).toContain(id.address);
    }
  });
});
