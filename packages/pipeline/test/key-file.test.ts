/**
 * `readKeyFile`, the one reading of a key file's bytes that `oaklog` and the web page share: both formats in every
 * encoding logs come in, and each refusal with what it rests on.
 */
import { listCaptures, readCorpusBytes } from '@oaklog/corpus';
import { toHex } from '@oaklog/crypto';
import { describe, expect, it } from 'vitest';
import { KEY_FILE_CAPS, readKeyFile } from '../src/index';

const text = (s: string) => new TextEncoder().encode(s);
const utf16le = (s: string, bom: boolean) => {
  const out = new Uint8Array((bom ? 2 : 0) + 2 * s.length);
  if (bom) out.set([0xff, 0xfe]);
  for (let i = 0; i < s.length; i++) {
    out[(bom ? 2 : 0) + 2 * i] = s.charCodeAt(i) & 0xff;
    out[(bom ? 2 : 0) + 2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
};
const keyed = listCaptures().filter((c) => c.keys !== undefined && c.wiresharkKeys !== undefined);

describe('readKeyFile', () => {
  it('reads both formats of every corpus key file to the same keys', () => {
    expect(keyed.length).toBeGreaterThan(3);
    for (const c of keyed) {
      const json = readKeyFile(readCorpusBytes(c.keys as string));
      const table = readKeyFile(readCorpusBytes(c.wiresharkKeys as string));
      expect(json, c.name).toMatchObject({ ok: true, format: 'json' });
      expect(table, c.name).toMatchObject({ ok: true, format: 'wireshark' });
      if (!json.ok || !table.ok) continue;
      // Every key of the table is a key the JSON gives the same initiator cookie.
      const fromJson = new Set(
        json.keys.flatMap((k) => k.encryptionKeys.map((e) => `${toHex(k.initiatorCookie)}:${toHex(e)}`)),
      );
      expect(table.keys.length, c.name).toBeGreaterThan(0);
      for (const k of table.keys)
        for (const e of k.encryptionKeys) expect(fromJson, c.name).toContain(`${toHex(k.initiatorCookie)}:${toHex(e)}`);
    }
  });

  it('reads a table saved as UTF-16, with and without a byte-order mark', () => {
    const table = new TextDecoder().decode(readCorpusBytes(keyed[0]?.wiresharkKeys as string));
    for (const bom of [true, false]) {
      const read = readKeyFile(utf16le(table, bom));
      expect(read, `bom ${bom}`).toMatchObject({
        ok: true,
        format: 'wireshark',
        encoding: expect.stringMatching(/^utf-16/),
      });
    }
  });

  it('refuses a file too large (without decoding it), binary data, errors and no keys, saying which', () => {
    expect(readKeyFile(new Uint8Array(KEY_FILE_CAPS.maxBytes + 1))).toEqual({
      ok: false,
      problem: 'too-large',
      diagnostics: [],
    });
    expect(readKeyFile(Uint8Array.of(0x7b, 0x20, 0, 1))).toMatchObject({ ok: false, problem: 'binary', nulOffset: 2 });
    const bad = readKeyFile(text('5213f336b2ebcf7c,zz\n'));
    expect(bad).toMatchObject({ ok: false, problem: 'errors', format: 'wireshark' });
    expect(bad.diagnostics[0]).toMatchObject({ line: 1, severity: 'error' });
    expect(readKeyFile(text('# nothing here\n'))).toMatchObject({ ok: false, problem: 'empty' });
    expect(readKeyFile(text('{"ikeSas": [}'))).toMatchObject({ ok: false, problem: 'errors', format: 'json' });
  });
});
