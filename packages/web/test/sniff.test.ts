import { getCapture, readCorpusBytes } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { readKeyFile } from '../src/keys';
import { sniff } from '../src/sniff';

const text = (s: string) => new TextEncoder().encode(s);

describe('what a dropped file is', () => {
  it('tells captures, key files and logs apart by their first bytes', () => {
    const c = getCapture('strongswan-mm-psk-3des-sha1-modp1024');
    expect(sniff(readCorpusBytes(c.path).subarray(0, 4096))).toBe('capture');
    expect(sniff(readCorpusBytes(c.keys!))).toBe('keys');
    expect(sniff(readCorpusBytes(c.wiresharkKeys!))).toBe('keys');
    expect(sniff(text('# comment\n"5213f336b2ebcf7c","c1da68bc8171073b"\n'))).toBe('keys');
    expect(sniff(text('Pre-share - SENDING>>>> ISAKMP OAK MM (SA)\n'))).toBe('log');
    expect(sniff(text('\uFEFF  {"ikeSas": []}'))).toBe('keys');
    expect(sniff(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]))).toBe('capture');
  });
});

describe('a key file', () => {
  it('gives the keys of both formats, as the CLI reads them', () => {
    const c = getCapture('strongswan-mm-psk-3des-sha1-modp1024');
    const json = readKeyFile('keys.json', readCorpusBytes(c.keys!));
    const table = readKeyFile('table', readCorpusBytes(c.wiresharkKeys!));
    expect(json).toMatchObject({ ok: true, format: 'json' });
    expect(table).toMatchObject({ ok: true, format: 'wireshark' });
  });

  it('is refused whole, in one sentence, when it has an error, is binary, empty or too large', () => {
    expect(readKeyFile('k', text('5213f336b2ebcf7c,zz\n'))).toMatchObject({
      ok: false,
      message: 'k has errors, so none of its keys are used.',
    });
    expect(readKeyFile('k', new Uint8Array([0x7b, 0, 1, 2]))).toMatchObject({
      ok: false,
      message: /^k is not a key file: it holds binary data/,
    });
    expect(readKeyFile('k', text('# nothing\n'))).toMatchObject({ ok: false, message: 'k holds no IKE SA keys.' });
    expect(readKeyFile('k', new Uint8Array(4 * 1024 * 1024 + 1))).toMatchObject({ ok: false, message: /too large/ });
  });
});
