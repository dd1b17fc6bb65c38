import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMessageDecryptor, parseKeysJson, parseWiresharkKeyTable, toHex } from '../src/index';

describe('parseWiresharkKeyTable', () => {
  it('reads unquoted and quoted lines, skips comments and blank lines, merges keys of one cookie', () => {
    const text = [
      '# ikev1_decryption_table',
      '5213f336b2ebcf7c,c1da68bc8171073b0cb94d6d4e62e108aff55e1b366393e2',
      '',
      '"F60AA82EFCD30FA8","71bd026c9e1cc6cefcf06abf4ba82dd5"\r',
      '5213f336b2ebcf7c,00112233445566778899aabbccddeeff',
    ].join('\n');
    const r = parseWiresharkKeyTable(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.ikeSas.map((s) => [toHex(s.initiatorCookie), s.encryptionKeys.map(toHex)])).toEqual([
      ['5213f336b2ebcf7c', ['c1da68bc8171073b0cb94d6d4e62e108aff55e1b366393e2', '00112233445566778899aabbccddeeff']],
      ['f60aa82efcd30fa8', ['71bd026c9e1cc6cefcf06abf4ba82dd5']],
    ]);
  });

  it.each([
    { name: 'no comma', line: 'deadbeef', code: 'BAD_LINE', column: 1 },
    { name: 'three fields', line: 'a,b,c', code: 'BAD_LINE', column: 1 },
    { name: 'short cookie', line: '5213f336,c1da68bc8171073b', code: 'BAD_HEX', column: 1 },
    { name: 'key not hex', line: '5213f336b2ebcf7c, zz11', code: 'BAD_HEX', column: 19 },
    { name: 'key too long', line: `5213f336b2ebcf7c,${'ab'.repeat(65)}`, code: 'BAD_HEX', column: 18 },
  ])('$name → $code at line 2 column $column, other lines kept', ({ line, code, column }) => {
    const r = parseWiresharkKeyTable(`0011223344556677,00112233445566778899aabbccddeeff\n${line}\n`);
    expect(r.diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column }))).toEqual([
      { code, line: 2, column },
    ]);
    expect(r.ikeSas.length).toBe(1);
  });
});

describe('parseWiresharkKeyTable and the real UAT format', () => {
  const cookie = '5213f336b2ebcf7c';
  const ka = 'c1da68bc8171073b0cb94d6d4e62e108aff55e1b366393e2';
  const escaped = (h: string) => `"${h.replace(/../g, (b) => `\\x${b}`)}"`;
  it.each([
    { name: 'unquoted %02x hex, as uat.c writes it', line: `${cookie},${ka}` },
    { name: 'quoted hex (our extension)', line: `"${cookie}","${ka}"` },
    { name: 'Wireshark’s escaped quoted string', line: `${escaped(cookie)},${escaped(ka)}` },
    { name: 'escaped cookie, plain key', line: `${escaped(cookie)},${ka}` },
    { name: 'colons and 0x, as in the JSON format', line: `0x${cookie},${ka.replace(/(..)(?=.)/g, '$1:')}` },
    { name: 'a UTF-8 byte-order mark', line: `\ufeff${cookie},${ka}` },
  ])('$name', ({ line }) => {
    const r = parseWiresharkKeyTable(`${line}\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.ikeSas.map((s) => [toHex(s.initiatorCookie), s.encryptionKeys.map(toHex)])).toEqual([[cookie, [ka]]]);
  });

  it('hex is read by the same rule in both formats', () => {
    for (const h of [`0x${cookie}`, cookie.toUpperCase(), cookie.replace(/(..)(?=.)/g, '$1:'), 'zz', '123']) {
      const table = parseWiresharkKeyTable(`${h},${ka}\n`).ikeSas.map((s) => toHex(s.initiatorCookie));
      const json = parseKeysJson(JSON.stringify({ ikeSas: [{ initiatorCookie: h, encryptionKey: ka }] })).ikeSas.map(
        (s) => toHex(s.initiatorCookie),
      );
      expect(table, h).toEqual(json);
    }
  });

  it('keys up to 64 bytes are accepted (as in the JSON format); 65 are not', () => {
    const r = parseWiresharkKeyTable(`${cookie},${'ab'.repeat(64)}\n${cookie},${'ab'.repeat(65)}\n`);
    expect(r.ikeSas[0]?.encryptionKeys.map((k) => k.length)).toEqual([64]);
    expect(r.diagnostics.map((x) => [x.code, x.line])).toEqual([['BAD_HEX', 2]]);
  });
});

const entry = (fields: string) => `{
  "source": "test",
  "ikeSas": [
    {
      "initiatorCookie": "5213f336b2ebcf7c",
      "responderCookie": "eacab5328eb12e5d",
      ${fields}
    }
  ]
}`;

describe('parseKeysJson', () => {
  it('reads an entry: both sides’ keys (deduplicated), algorithms, initial IV', () => {
    const r = parseKeysJson(
      entry(`"encryption": "3des-cbc", "hash": "sha1", "initialIv": "6aec0dfce9a4d697",
      "encryptionKey": { "initiator": "c1da68bc8171073b0cb94d6d4e62e108aff55e1b366393e2",
                         "responder": "c1da68bc8171073b0cb94d6d4e62e108aff55e1b366393e2" }`),
    );
    expect(r.diagnostics).toEqual([]);
    const [sa] = r.ikeSas;
    expect(sa?.cipher).toBe('3des-cbc');
    expect(sa?.hash).toBe('sha1');
    expect(sa?.encryptionKeys.length).toBe(1);
    expect(toHex(sa?.initialIv ?? new Uint8Array(0))).toBe('6aec0dfce9a4d697');
    expect(toHex(sa?.responderCookie ?? new Uint8Array(0))).toBe('eacab5328eb12e5d');
  });

  it('keeps two different keys (peers that disagree)', () => {
    const r = parseKeysJson(entry(`"encryptionKey": { "initiator": "00112233", "responder": "44556677" }`));
    expect(r.ikeSas[0]?.encryptionKeys.map(toHex)).toEqual(['00112233', '44556677']);
  });

  it.each([
    {
      name: 'bad JSON',
      text: '{\n  "ikeSas": [\n    { "initiatorCookie": }\n  ]\n}',
      code: 'BAD_JSON',
      line: 3,
      column: 26,
    },
    { name: 'no ikeSas', text: '{ "source": "x" }', code: 'BAD_JSON', line: 1, column: 1 },
    { name: 'unterminated string', text: '{ "ikeSas": [ "abc\n] }', code: 'BAD_JSON', line: 1, column: 19 },
    {
      name: 'bad key hex',
      text: entry(`"encryptionKey": { "initiator": "xyz" }`),
      code: 'BAD_HEX',
      line: 7,
      column: 39,
    },
    { name: 'missing key', text: entry(`"hash": "sha1"`), code: 'MISSING_FIELD', line: 4, column: 5 },
    { name: 'key of the wrong kind', text: entry(`"encryptionKey": 42`), code: 'BAD_FIELD', line: 7, column: 24 },
    {
      name: 'bad IV length',
      text: entry(`"encryptionKey": "0011", "initialIv": "0102"`),
      code: 'BAD_HEX',
      line: 7,
      column: 45,
    },
  ])('$name → $code at $line:$column', ({ text, code, line, column }) => {
    const r = parseKeysJson(text);
    expect(r.diagnostics[0]).toMatchObject({ code, line, column, severity: 'error' });
  });

  it.each([
    { name: 'a cut-off file', text: '{"ikeSas": [' },
    { name: 'an empty file', text: '' },
    { name: 'an unclosed object', text: '{ "ikeSas": [ { "initiatorCookie": "0011223344556677"' },
  ])('an unexpected end in $name points at the end, not past it', ({ text }) => {
    const [first] = parseKeysJson(text).diagnostics;
    expect(first).toMatchObject({ code: 'BAD_JSON', offset: text.length, length: 0 });
  });

  it.each([
    { name: 'as a string', field: (hex: string) => `"encryptionKey": "${hex}"` },
    { name: 'per side', field: (hex: string) => `"encryptionKey": { "initiator": "${hex}" }` },
  ])('an encryption key over 64 bytes is refused $name, as the table refuses it', ({ field }) => {
    const long = parseKeysJson(entry(field('ab'.repeat(65))));
    expect(long.ikeSas).toEqual([]);
    expect(long.diagnostics[0]).toMatchObject({ code: 'BAD_HEX', severity: 'error' });
    const longest = parseKeysJson(entry(field('ab'.repeat(64))));
    expect(longest.ikeSas[0]?.encryptionKeys[0]?.length).toBe(64);
  });

  it('an unknown algorithm only warns; the entry is kept and the algorithm learnt from the capture', () => {
    const r = parseKeysJson(entry(`"encryption": "blowfish-cbc", "hash": "tiger", "encryptionKey": "00112233"`));
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ['UNKNOWN_ALGORITHM', 'warning', 7],
      ['UNKNOWN_ALGORITHM', 'warning', 7],
    ]);
    expect(r.ikeSas.length).toBe(1);
    expect(r.ikeSas[0]?.cipher).toBeUndefined();
  });

  it.each([
    { name: 'encryption "constructor"', fields: `"encryption": "constructor", "hash": "sha1"` },
    { name: 'encryption "valueOf"', fields: `"encryption": "valueOf", "hash": "sha1"` },
    { name: 'hash "constructor"', fields: `"encryption": "3des", "hash": "constructor"` },
    { name: 'hash "__proto__"', fields: `"encryption": "3des", "hash": "__proto__"` },
    { name: 'hash "__proto__" with skeyidE', fields: `"encryption": "3des", "hash": "__proto__", "skeyidE": "0011"` },
    { name: 'hash "tostring"', fields: `"encryption": "3des", "hash": "toString", "skeyidE": "0011"` },
  ])('prototype member names are unknown algorithms, not Object members: $name', ({ fields }) => {
    const ok = entry(`"encryptionKey": "00112233445566778899aabbccddeeff"`);
    const bad = entry(`${fields}, "encryptionKey": "00112233445566778899aabbccddeeff"`).replace(
      '5213f336b2ebcf7c',
      '0123456789abcdef',
    );
    const text = `{"ikeSas": [${JSON.parse(bad).ikeSas.map((e: unknown) => JSON.stringify(e))}, ${JSON.parse(ok)
      .ikeSas.map((e: unknown) => JSON.stringify(e))
      .join()}]}`;
    const r = parseKeysJson(text);
    expect(r.diagnostics.map((d) => d.code)).toContain('UNKNOWN_ALGORITHM');
    for (const sa of r.ikeSas) {
      expect(sa.cipher === undefined || typeof sa.cipher === 'string').toBe(true);
      expect(sa.hash === undefined || typeof sa.hash === 'string').toBe(true);
    }
    // The file's other SAs still work: a decryptor is built for all of them.
    expect(() => createMessageDecryptor(r.ikeSas)).not.toThrow();
    expect(r.ikeSas.map((s) => toHex(s.initiatorCookie))).toContain('5213f336b2ebcf7c');
  });

  it('derives Ka from SKEYID_e, or from SKEYID + g^xy + cookies, when Ka was not logged', () => {
    // What charon logged for corpus case strongswan-mm-psk-3des-sha1-modp1024 (its keys.json).
    const ka = '2f9c33cb0b9aaa1107f90f56b908f316b7c716ca4f3ec2b7';
    const corpusEntry = (fields: string) =>
      entry(fields).replace('5213f336b2ebcf7c', '5abc904d36f1256b').replace('eacab5328eb12e5d', 'ba427cefb1882d9f');
    const fromE = parseKeysJson(
      corpusEntry(`"encryption": "3des-cbc", "hash": "sha1", "skeyidE": "05a14074be27eb749e5510f70fe36efed015c6aa"`),
    );
    expect(fromE.diagnostics).toEqual([]);
    expect(fromE.ikeSas[0]?.encryptionKeys.map(toHex)).toEqual([ka]);
    const gxy =
      '9f281378bc219c57b77c38d94647a88c58cc06722cdd95e20e9395687c760c5e0300d75737178de536abc2c3c26320c68851eccbb6af778094e62edecaa108c9a14391e39cb23a3ac6621e2eb8ded8d1d2d830e102c35ec28972f6093a3c673a91b36c6fe008fed27173ce06bd701162acc4b3b392623d7dd38fe72ad617022e';
    const fromSkeyid = parseKeysJson(
      corpusEntry(`"encryption": "3des-cbc", "hash": "sha1", "skeyid": "b84e5e09b7768a3d94aa4497fabf783dd4a7f980",
      "sharedSecret": "${gxy}"`),
    );
    expect(fromSkeyid.ikeSas[0]?.encryptionKeys.map(toHex)).toEqual([ka]);
    // Without the algorithms Ka cannot be sized: an error, and no entry.
    const noAlgorithms = parseKeysJson(entry(`"skeyidE": "e6b28d60beb47ca9933f0da8281b03092a56531b"`));
    expect(noAlgorithms.ikeSas).toEqual([]);
    expect(noAlgorithms.diagnostics.map((d) => d.code)).toEqual(['MISSING_FIELD']);
  });

  it('a UTF-8 byte-order mark is skipped, and positions still count it', () => {
    const r = parseKeysJson(`\ufeff${entry(`"encryptionKey": "00112233445566778899aabbccddeeff", "hash": 5`)}`);
    expect(r.ikeSas.length).toBe(1);
    expect(r.diagnostics.map((x) => [x.code, x.line])).toEqual([['BAD_FIELD', 7]]);
  });

  it('a key longer than the named cipher needs is used cut, with a KEY_TOO_LONG warning', () => {
    const r = parseKeysJson(
      entry(`"encryption": "aes-cbc-128", "encryptionKey": "00112233445566778899aabbccddeeff0011223344"`),
    );
    expect(r.diagnostics.map((x) => [x.code, x.severity, x.line])).toEqual([['KEY_TOO_LONG', 'warning', 7]]);
    expect(r.ikeSas.length).toBe(1);
    const exact = parseKeysJson(
      entry(`"encryption": "aes-cbc-128", "encryptionKey": "00112233445566778899aabbccddeeff"`),
    );
    expect(exact.diagnostics).toEqual([]);
  });

  it('never throws on arbitrary text', () => {
    for (const text of [
      '',
      '[',
      '{"ikeSas":[1,null,"x",{}]}',
      '\u0000',
      '{"ikeSas":[{"initiatorCookie":5}]}',
      '"\\u12"',
    ]) {
      const r = parseKeysJson(text);
      expect(Array.isArray(r.diagnostics)).toBe(true);
    }
  });
});

describe('key file limits', () => {
  const cookie = '5213f336b2ebcf7c';
  const ka = 'c1da68bc8171073b0cb94d6d4e62e108aff55e1b366393e2';
  const fixture = (name: string) =>
    new Uint8Array(readFileSync(fileURLToPath(new URL(`fixtures/${name}`, import.meta.url))));

  it('past maxErrors errors, the rest are counted in one TOO_MANY_ERRORS (at the first one not listed)', () => {
    const text = Array.from({ length: 25 }, (_, i) => `bad line ${i}`).join('\n');
    const r = parseWiresharkKeyTable(`${cookie},${ka}\n${text}\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual([...Array(10).fill('BAD_LINE'), 'TOO_MANY_ERRORS']);
    expect(r.diagnostics.at(-1)).toMatchObject({ line: 12, message: '15 more errors not listed' });
    expect(r.ikeSas.length).toBe(1);
    expect(parseWiresharkKeyTable(text, { maxErrors: 3 }).diagnostics.length).toBe(4);
  });

  it.each([
    { name: 'random bytes', bytes: new Uint8Array(20_000).map((_, i) => (i * 2654435761) >>> 24) },
    { name: 'a pcap', bytes: fixture('encrypted-random-1000.pcap') },
  ])('$name given as a key file: at most maxErrors + 1 diagnostics, never a throw', ({ bytes }) => {
    for (const encoding of ['utf-8', 'latin1', 'utf-16le']) {
      const text = new TextDecoder(encoding).decode(bytes);
      for (const r of [parseWiresharkKeyTable(text), parseKeysJson(text)]) {
        expect(r.diagnostics.length).toBeLessThanOrEqual(11);
        expect(r.diagnostics.length).toBeGreaterThan(0);
        expect(r.ikeSas).toEqual([]);
      }
    }
  });

  it('a table saved as UTF-16 with a BOM parses once decoded as UTF-16 (as viewlog’s decodeLogBytes does)', () => {
    const bytes = fixture('keys-utf16.table');
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    const r = parseWiresharkKeyTable(new TextDecoder('utf-16le').decode(bytes));
    expect(r.diagnostics).toEqual([]);
    expect(r.ikeSas.map((s) => [toHex(s.initiatorCookie), s.encryptionKeys.map(toHex)])).toEqual([
      ['5abc904d36f1256b', ['2f9c33cb0b9aaa1107f90f56b908f316b7c716ca4f3ec2b7']],
    ]);
  });

  it('maxKeys stops the table with TOO_MANY_KEYS; the keys before it are kept', () => {
    const lines = Array.from({ length: 7 }, (_, i) => `${cookie},${ka.slice(0, -2)}${i.toString(16).padStart(2, '0')}`);
    const r = parseWiresharkKeyTable(lines.join('\n'), { maxKeys: 5 });
    expect(r.ikeSas[0]?.encryptionKeys.length).toBe(5);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['TOO_MANY_KEYS', 6]]);
  });

  it('maxBytes: a table is read up to the cap (a cut line is not read), a JSON file not at all', () => {
    const line = `${cookie},${ka}\n`;
    const r = parseWiresharkKeyTable(line.repeat(10), { maxBytes: line.length * 3 + 5 });
    expect(r.ikeSas[0]?.encryptionKeys.length).toBe(3);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TOO_LARGE']);
    const json = JSON.stringify({ ikeSas: [{ initiatorCookie: cookie, encryptionKey: ka }] });
    expect(parseKeysJson(json).ikeSas.length).toBe(1);
    const cut = parseKeysJson(json, { maxBytes: 20 });
    expect(cut.ikeSas).toEqual([]);
    expect(cut.diagnostics.map((d) => d.code)).toEqual(['TOO_LARGE']);
  });
});
