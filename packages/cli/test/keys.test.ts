import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusRoot, listCaptures, readCorpusText } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { oaklog } from './run-cli';

/** The corpus cases recorded with both charon logs kept (`charon-a.filelog`, `charon-b.filelog`). */
const logged = listCaptures().filter((c) => (c.files ?? []).some((f) => f.path.endsWith('/charon-a.filelog')));
const dirOf = (path: string) => join(corpusRoot, path.slice(0, path.lastIndexOf('/')));
const lines = (text: string) => text.replace(/\n$/, '').split('\n');
const tmp = () => mkdtempSync(join(tmpdir(), 'oaklog-keys-'));
const PSK = 'oaklog-corpus-psk';

function extractArgs(c: (typeof logged)[number]): string[] {
  const dir = dirOf(c.path);
  return [
    'keys',
    'extract',
    join(dir, 'charon-a.filelog'),
    join(dir, 'charon-b.filelog'),
    '--capture',
    join(corpusRoot, c.path),
    '--psk',
    PSK,
  ];
}

describe('oaklog keys extract', () => {
  it('has corpus cases to work on', () => {
    expect(logged.length).toBeGreaterThanOrEqual(3);
  });

  it.each(logged.map((c) => [c.name, c] as const))(
    '%s: prints the committed keys.json and ikev1_decryption_table',
    async (_name, c) => {
      const json = await oaklog(...extractArgs(c));
      expect(json.stderr).toEqual([]);
      expect(json.code).toBe(0);
      expect(json.stdout).toEqual(lines(readCorpusText(c.keys ?? '')));
      const table = await oaklog(...extractArgs(c), '--format', 'wireshark');
      expect(table.code).toBe(0);
      expect(table.stdout).toEqual(lines(readCorpusText(c.wiresharkKeys ?? '')));
    },
  );

  it('writes to -o instead of stdout', async () => {
    const c = logged[0];
    if (!c) throw new Error('no case');
    const file = join(tmp(), 'keys.json');
    const r = await oaklog(...extractArgs(c), '-o', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(readCorpusText(c.keys ?? ''));
  });

  it('exits 1 with line:column diagnostics for text that is no charon log', async () => {
    const file = join(tmp(), 'not-a-log.txt');
    writeFileSync(file, 'hello\n');
    const r = await oaklog('keys', 'extract', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toEqual([]);
    expect(r.stderr[0]).toBe(
      `${file}:1:1 error NOT_A_KEY_LOG: no charon log line (like "10[IKE] <oak|1> ...") in the text`,
    );
    expect(r.stderr.at(-1)).toMatch(/no IKE SA with cookies and an encryption key/);
  });

  it('exits 2 for a missing log, a bad format and no log at all', async () => {
    expect((await oaklog('keys', 'extract', join(tmp(), 'missing.log'))).code).toBe(2);
    const c = logged[0];
    if (!c) throw new Error('no case');
    expect((await oaklog(...extractArgs(c), '--format', 'pem')).code).toBe(2);
    expect((await oaklog('keys', 'extract')).code).toBe(2);
  });
});

describe('oaklog keys convert', () => {
  it.each(logged.map((c) => [c.name, c] as const))(
    '%s: JSON → table gives the committed table, table → JSON → table gives it back',
    async (_name, c) => {
      const table = readCorpusText(c.wiresharkKeys ?? '');
      const toTable = await oaklog('keys', 'convert', join(corpusRoot, c.keys ?? ''), '--to', 'wireshark');
      expect(toTable.code).toBe(0);
      expect(toTable.stdout).toEqual(lines(table));
      const dir = tmp();
      const json = join(dir, 'keys.json');
      expect(
        (await oaklog('keys', 'convert', join(corpusRoot, c.wiresharkKeys ?? ''), '--to', 'json', '-o', json)).code,
      ).toBe(0);
      const back = await oaklog('keys', 'convert', json, '--to', 'wireshark');
      expect(back.code).toBe(0);
      expect(back.stdout).toEqual(lines(table));
    },
  );

  it('exits 1 with line:column for a bad table line, keeping the good lines', async () => {
    const file = join(tmp(), 'ikev1_decryption_table');
    writeFileSync(file, '0011223344556677,00112233445566778899aabbccddeeff\n0011,zz\n');
    const r = await oaklog('keys', 'convert', file, '--to', 'wireshark');
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([
      `${file}:2:1 error BAD_HEX: initiator cookie must be 8 bytes (16 hex digits)`,
      `${file}:2:6 error BAD_HEX: encryption key must be 1 to 64 bytes of hex`,
    ]);
    expect(r.stdout).toEqual(['0011223344556677,00112233445566778899aabbccddeeff']);
  });

  it('exits 2 without --to', async () => {
    const c = logged[0];
    if (!c) throw new Error('no case');
    expect((await oaklog('keys', 'convert', join(corpusRoot, c.keys ?? ''))).code).toBe(2);
  });
});

const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
const haveTshark = tshark.status === 0;

describe(`tshark decrypts with the table oaklog keys exported${haveTshark ? '' : ' (skipped: tshark is not installed here; CI has it)'}`, () => {
  it.skipIf(!haveTshark).each(logged.map((c) => [c.name, c] as const))(
    '%s: as many encrypted messages as its decrypted golden',
    async (_name, c) => {
      const dir = tmp();
      const r = await oaklog(...extractArgs(c), '--format', 'wireshark', '-o', join(dir, 'ikev1_decryption_table'));
      expect(r.code).toBe(0);
      const run = spawnSync(
        'tshark',
        ['-r', join(corpusRoot, c.path), '-T', 'fields', '-e', 'isakmp.flags', '-e', 'isakmp.typepayload'],
        { encoding: 'utf8', env: { ...process.env, WIRESHARK_CONFIG_DIR: dir } },
      );
      expect(run.status).toBe(0);
      // An encrypted message (E flag) that shows payload types is one tshark decrypted.
      const decrypted = run.stdout
        .split('\n')
        .map((line) => line.split('\t'))
        .filter(([flags, types]) => (Number(flags) & 1) === 1 && (types ?? '') !== '').length;
      expect(decrypted).toBeGreaterThan(0);
      expect(decrypted).toBe(c.expect?.tsharkDecrypted);
    },
  );
});
