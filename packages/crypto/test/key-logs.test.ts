import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { corpusRoot, listCaptures, readCorpusBytes, readCorpusText } from '@oaklog/corpus';
import { type IkeDatagram, readCaptureBytes } from '@oaklog/pcap';
import { describe, expect, it } from 'vitest';
import {
  CHARON_KEYS_SOURCE,
  CIPHER_NAMES,
  combineKeyLogs,
  extractCharonKeys,
  formatKeysJson,
  formatWiresharkKeyTable,
  HASH_NAMES,
  type IkeSaKeys,
  parseKeysJson,
  parseWiresharkKeyTable,
  toHex,
} from '../src/index';

const row = (thread: number, tag: string, offset: number, bytes: string) =>
  `02:02:11 ${thread}[IKE] <${tag}> ${String(offset).padStart(4)}: ${bytes.match(/../g)?.join(' ').toUpperCase()}  ................`;

/** A dump as charon writes it: header, then rows of 16 bytes. */
function dump(thread: number, tag: string, name: string, hex: string): string[] {
  const out = [`02:02:11 ${thread}[IKE] <${tag}> ${name} => ${hex.length / 2} bytes @ 0x7f324c001b20`];
  for (let i = 0; i < hex.length; i += 32) out.push(row(thread, tag, i / 2, hex.slice(i, i + 32)));
  return out;
}

const icky = '9a94c71b84df2f63';
const rcky = '375c5a1b08536e2f';
const ka = 'f233e12c8a42c4bb4915a982547c2e898241f7b5036d7ed6';

describe('extractCharonKeys', () => {
  it('reads cookies from natd_chunk, keys, the proposal and the role of a tagged SA', () => {
    const text = [
      '02:02:09 00[DMN] Starting IKE charon daemon (strongSwan 5.9.8)',
      '02:02:11 10[IKE] <oak|1> initiating Main Mode IKE_SA oak[1] to 192.0.2.2',
      '02:02:11 12[CFG] <oak|1> selected proposal: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024',
      ...dump(12, 'oak|1', 'natd_chunk', `${icky}${rcky}c000020201f4`),
      ...dump(14, 'oak|1', 'encryption key Ka', ka),
      ...dump(14, 'oak|1', 'initial IV', '82977a6bf1742ebe'),
      '',
    ].join('\n');
    const r = extractCharonKeys(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.family).toBe('charon');
    expect(r.ikeSas).toHaveLength(1);
    const sa = r.ikeSas[0];
    expect(sa?.id).toBe('1');
    expect(sa?.name).toBe('oak');
    expect(sa?.role).toBe('initiator');
    expect([sa?.encryption, sa?.hash, sa?.group]).toEqual(['3des-cbc', 'sha1', 'modp1024']);
    expect(toHex(sa?.initiatorCookie ?? new Uint8Array())).toBe(icky);
    expect(toHex(sa?.responderCookie ?? new Uint8Array())).toBe(rcky);
    expect(toHex(sa?.encryptionKey ?? new Uint8Array())).toBe(ka);
    expect(toHex(sa?.initialIv ?? new Uint8Array())).toBe('82977a6bf1742ebe');
  });

  it('reports partial SAs and cut dumps with line:column', () => {
    const text = [
      ...dump(12, 'oak|1', 'natd_chunk', `${icky}${rcky}c000020201f4`),
      ...dump(14, 'oak|2', 'encryption key Ka', ka),
      // a dump cut after its first row
      ...dump(14, 'oak|3', 'SKEYID', 'a4f9394f42408835 72ad9834f63b0a4e a9c0f107'.replace(/ /g, '')).slice(0, 2),
      '02:02:12 09[NET] <oak|3> sending packet',
    ].join('\n');
    const r = extractCharonKeys(text);
    expect(r.ikeSas.map((s) => s.id)).toEqual(['1', '2']);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['TRUNCATED_DUMP', 7, 1],
      ['NO_ENCRYPTION_KEY', 1, 1],
      ['NO_COOKIES', 4, 1],
    ]);
  });

  it('says what is wrong with text that is no charon log, or one without ike = 4', () => {
    expect(extractCharonKeys('hello\nworld').diagnostics.map((d) => d.code)).toEqual(['NOT_A_KEY_LOG']);
    expect(extractCharonKeys('').diagnostics.map((d) => d.code)).toEqual(['NOT_A_KEY_LOG']);
    const plain = '02:02:11 10[IKE] <oak|1> initiating Main Mode IKE_SA oak[1] to 192.0.2.2\n';
    expect(extractCharonKeys(plain).diagnostics.map((d) => d.code)).toEqual(['NO_KEYS_LOGGED']);
  });

  it('stops at maxBytes and maxIkeSas', () => {
    const one = (n: number) => dump(14, `oak|${n}`, 'encryption key Ka', ka).join('\n');
    const text = [1, 2, 3].map(one).join('\n');
    expect(extractCharonKeys(text, { maxIkeSas: 2 }).ikeSas).toHaveLength(2);
    const cut = extractCharonKeys(text, { maxBytes: one(1).length + 1 });
    expect(cut.ikeSas).toHaveLength(1);
    expect(cut.diagnostics.map((d) => d.code)).toContain('TOO_LARGE');
  });

  test.prop([fc.string({ maxLength: 400 })], { numRuns: 150 })('never throws on any text', (text) => {
    const r = extractCharonKeys(text);
    expect(Array.isArray(r.diagnostics)).toBe(true);
  });

  test.prop(
    [
      fc.array(
        fc.oneof(
          fc.constantFrom(
            ...dump(14, 'oak|1', 'encryption key Ka', ka),
            ...dump(12, 'oak|1', 'natd_chunk', icky + rcky),
          ),
          fc.string({ maxLength: 60 }),
        ),
        { maxLength: 30 },
      ),
    ],
    { numRuns: 150 },
  )('never throws on shuffled charon lines, and every diagnostic has a line in the text', (lines) => {
    const text = lines.join('\n');
    const r = extractCharonKeys(text);
    const count = text.split('\n').length;
    for (const d of r.diagnostics) expect(d.line).toBeLessThanOrEqual(count);
  });
});

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
/** IKE SAs as the parsers return them: distinct keys per SA, SKEYID_a by index where known. */
const ikeSa: fc.Arbitrary<IkeSaKeys> = fc
  .record(
    {
      initiatorCookie: bytes(8, 8),
      responderCookie: bytes(8, 8),
      encryptionKeys: fc.uniqueArray(bytes(1, 64), { minLength: 1, maxLength: 3, selector: (k) => toHex(k) }),
      auth: fc.array(fc.option(bytes(1, 64), { nil: undefined }), { minLength: 3, maxLength: 3 }),
      cipher: fc.constantFrom(...CIPHER_NAMES),
      hash: fc.constantFrom(...HASH_NAMES),
      initialIv: fc.oneof(bytes(8, 8), bytes(16, 16)),
      gxi: bytes(1, 40),
      gxr: bytes(1, 40),
    },
    { requiredKeys: ['initiatorCookie', 'encryptionKeys', 'auth'] },
  )
  .map(({ auth, ...s }) => {
    const authenticationKeys = auth.slice(0, s.encryptionKeys.length);
    return authenticationKeys.some((a) => a) ? { ...s, authenticationKeys } : s;
  });

describe('key file writers', () => {
  test.prop([fc.array(ikeSa, { maxLength: 4 })], { numRuns: 60 })('parseKeysJson(formatKeysJson(x)) is x', (sas) => {
    const r = parseKeysJson(formatKeysJson(sas));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ikeSas).toEqual(sas);
  });

  test.prop([fc.uniqueArray(ikeSa, { maxLength: 4, selector: (s) => toHex(s.initiatorCookie) })], { numRuns: 60 })(
    'parseWiresharkKeyTable(formatWiresharkKeyTable(x)) keeps each cookie and its keys',
    (sas) => {
      const r = parseWiresharkKeyTable(formatWiresharkKeyTable(sas));
      expect(r.diagnostics).toEqual([]);
      expect(r.ikeSas).toEqual(
        sas.map((s) => ({ initiatorCookie: s.initiatorCookie, encryptionKeys: s.encryptionKeys })),
      );
    },
  );
});

/** The initiator cookies of a capture, in the order they appear. */
function captureCookies(path: string): Uint8Array[] {
  return [...readCaptureBytes(readCorpusBytes(path))]
    .filter((i): i is IkeDatagram => i.kind === 'ike' && i.bytes.length >= 28)
    .map((d) => d.bytes.slice(0, 8));
}

const logged = listCaptures().filter((c) => (c.files ?? []).some((f) => /\/charon-[ab]\.filelog$/.test(f.path)));

describe('the corpus cases that kept their charon logs', () => {
  it('exist', () => {
    expect(logged.length).toBeGreaterThanOrEqual(3);
  });

  it.each(logged.map((c) => [c.name, c] as const))('%s: the logs give exactly its keys.json and table', (name, c) => {
    const dir = c.path.slice(0, c.path.lastIndexOf('/'));
    const logs = ['a', 'b'].map((side) => {
      const r = extractCharonKeys(readCorpusText(`${dir}/charon-${side}.filelog`));
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return { label: `charon-${side}`, ikeSas: r.ikeSas };
    });
    const swanctl = readFileSync(join(corpusRoot, 'tools/scenarios', name, 'a/swanctl.conf'), 'utf8');
    const psk = /secret = "([^"]*)"/.exec(swanctl)?.[1];
    const records = combineKeyLogs(logs, {
      captureCookies: captureCookies(c.path),
      ...(psk === undefined ? {} : { psk }),
    });
    expect(records.length).toBeGreaterThan(0);
    expect(formatKeysJson(records, { source: CHARON_KEYS_SOURCE })).toBe(readCorpusText(c.keys ?? ''));
    expect(formatWiresharkKeyTable(records)).toBe(readCorpusText(c.wiresharkKeys ?? ''));
  });
});
