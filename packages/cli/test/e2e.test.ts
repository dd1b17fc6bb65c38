/**
 * The built binary as a script runs it (a child process): decode --keys against tshark's decryption, NDJSON checked by
 * a JSON Schema validator, stdin, the filters, exit codes, binary refusal, time options and help.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusPath, corpusRoot, listCaptures, readCorpusJson } from '@oaklog/corpus';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const main = join(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');
const schema = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../schema/decode.v1.json'), 'utf8'),
);
const validate = new Ajv({ allErrors: true }).compile(schema);

function cli(args: string[], input?: Buffer | string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [main, ...args], { input, encoding: 'utf8', env: { ...process.env, ...env } });
  return {
    code: r.status,
    stdout: r.stdout.split('\n').filter((l) => l !== ''),
    stderr: r.stderr.split('\n').filter((l) => l !== ''),
  };
}

const keyed = listCaptures().filter((c) => c.keys !== undefined && c.tsharkDecryptedGolden !== undefined);
const demo = join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024/capture.pcap');
const demoKeys = join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024/keys.json');

/** Decrypted payload types per frame, as tshark lists them under `isakmp.enc.data`. */
interface TsharkPacket {
  _source: {
    layers: {
      frame: { 'frame.number': string };
      isakmp?: { 'isakmp.enc.data'?: { 'isakmp.typepayload'?: string | string[] } };
    };
  };
}

function tsharkDecrypted(packets: readonly TsharkPacket[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const p of packets) {
    const types = p._source.layers.isakmp?.['isakmp.enc.data']?.['isakmp.typepayload'];
    if (types === undefined) continue;
    out.set(Number(p._source.layers.frame['frame.number']), (Array.isArray(types) ? types : [types]).map(Number));
  }
  return out;
}

describe('oaklog decode --keys --json (built binary)', () => {
  it.each(keyed.map((c) => [c.name, c] as const))('%s: schema-valid NDJSON, decryption equal to tshark', (_n, c) => {
    const { stdout } = cli(['decode', '--json', '--keys', corpusPath(c.keys as string), corpusPath(c.path)]);
    const objects = stdout.map((l) => JSON.parse(l));
    for (const o of objects) expect(validate(o), JSON.stringify(validate.errors)).toBe(true);
    expect(objects.at(-1).type).toBe('summary');
    const ours = new Map<number, number[]>();
    for (const o of objects)
      if (o.type === 'datagram' && o.decrypted)
        ours.set(
          o.frame,
          o.plaintext.map((p: { type: number }) => p.type),
        );
    const theirs = tsharkDecrypted(readCorpusJson(c.tsharkDecryptedGolden as string) as TsharkPacket[]);
    // Wherever tshark decrypts, we decrypt the same payloads; we may decrypt more (resends tshark shows malformed).
    // The manifest marks the messages tshark decrypted into garbage (`[Malformed Packet]`, retransmissions): we
    // decrypt those, and compare everything else.
    const malformed = new Set(c.expect?.messages?.filter((m) => m.decrypted === false).map((m) => m.frame));
    for (const [frame, types] of theirs)
      if (malformed.has(frame)) expect(ours.get(frame), `frame ${frame} (tshark: malformed)`).toBeDefined();
      else expect(ours.get(frame), `frame ${frame}`).toEqual(types);
    for (const frame of malformed) expect(ours.has(frame), `frame ${frame} (tshark: malformed)`).toBe(true);
  });

  /** The encrypted retransmissions `decode --json --keys` lists in a case's capture. */
  const resentOf = (c: (typeof keyed)[number]) =>
    cli(['decode', '--json', '--keys', corpusPath(c.keys as string), corpusPath(c.path)])
      .stdout.map((l) => JSON.parse(l))
      .filter((o) => o.retransmission && o.encrypted);

  // One test a case: a process each, and two dozen of them in one test outran the timeout on a loaded machine.
  it.each(keyed.map((c) => [c.name, c] as const))(
    '%s: decrypts retransmissions, which tshark shows as malformed',
    (_, c) => {
      expect(resentOf(c).every((o) => o.decrypted)).toBe(true);
    },
  );

  it('the corpus has encrypted retransmissions to decrypt (libreswan aggressive mode resends)', () => {
    const c = keyed.find((k) => k.name === 'libreswan-ag-psk-to-strongswan');
    expect(c).toBeDefined();
    expect(resentOf(c as (typeof keyed)[number]).length).toBeGreaterThan(0);
  });

  it('prints the decrypted payloads and an indented tree of every field', () => {
    const { code, stdout } = cli(['decode', '--keys', demoKeys, demo]);
    expect(code).toBe(0);
    expect(stdout.join('\n')).toMatch(/decrypted \(phase1\): ID\(.*\), HASH, NOTIFICATION\(INITIAL_CONTACT\)/);
    expect(stdout).toContain('        exchangeType: IDENTITY_PROTECTION (2)');
    expect(stdout.join('\n')).toMatch(/ {8}\[0\] ID\n/);
  });
});

describe('stdin, filters, exit codes (built binary)', () => {
  it('reads a capture from - for decode, view and diagnose', () => {
    const bytes = readFileSync(demo);
    expect(cli(['decode', '-'], bytes).stdout).toEqual(cli(['decode', demo]).stdout);
    expect(cli(['view', '--no-keys', '-'], bytes).stdout).toEqual(cli(['view', '--no-keys', demo]).stdout);
    expect(cli(['diagnose', '--no-keys', '-'], bytes).stdout.join('\n')).toMatch(/phase 1: established/);
  });

  it('reads a log from - for check and explain, and takes several files', () => {
    const log = cli(['view', demo]).stdout.join('\n');
    expect(cli(['check', '-'], log).stdout.at(-1)).toMatch(/events, 0 errors/);
    const dir = mkdtempSync(join(tmpdir(), 'oaklog-e2e-'));
    writeFileSync(join(dir, 'a.log'), log);
    const two = cli(['check', '--json', join(dir, 'a.log'), join(dir, 'a.log')]);
    expect(two.stdout.map((l) => JSON.parse(l)).filter((o) => o.type === 'summary')).toHaveLength(2);
    expect(cli(['explain', '--json', '-'], log).stdout.map((l) => JSON.parse(l).schema)).toContain('oaklog.explain/1');
  });

  it('takes several captures and logs: each in turn, one that cannot be read reported, the worst exit code', () => {
    const failing = join(corpusRoot, 'cases/strongswan-mm-psk-mismatch/capture.pcap');
    const log = join(corpusRoot, 'logs/safenet-ag-psk.log');
    const both = cli(['view', '--no-keys', demo, failing]);
    expect(both.stdout).toEqual([
      ...cli(['view', '--no-keys', demo]).stdout,
      ...cli(['view', '--no-keys', failing]).stdout,
    ]);
    const mixed = cli(['diagnose', demo, '/no/such/file.pcap', log]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr.join('\n')).toMatch(/no such file/);
    expect(mixed.stdout.filter((l) => l.startsWith('==> '))).toEqual([
      `==> ${demo} <==`,
      '==> /no/such/file.pcap <==',
      `==> ${log} <==`,
    ]);
    expect(mixed.stdout.join('\n')).toMatch(/phase 1: deleted[\s\S]*Pre-share phase 1: established/);
    const decoded = cli(['decode', '--json', demo, failing]).stdout.map((l) => JSON.parse(l));
    expect(decoded.filter((o) => o.type === 'summary')).toHaveLength(2);
    expect(cli(['diagnose', failing, log]).code).toBe(1);
    expect(cli(['check', '-', '-'], '').stderr).toEqual(['oaklog: - (stdin) can be given once only']);
  });

  it('filters by peer, cookie prefix, exchange, frames and count', () => {
    const lines = (args: string[]) => cli(['decode', ...args, demo]).stdout.filter((l) => l.startsWith('#'));
    expect(lines(['--exchange', 'QM'])).toHaveLength(3);
    expect(lines(['--exchange', '32'])).toHaveLength(3);
    expect(lines(['--frames', '2-4']).map((l) => l.split(' ')[0])).toEqual(['#2', '#3', '#4']);
    expect(lines(['-c', '2'])).toHaveLength(2);
    expect(lines(['--cookie', '5abc90'])).toHaveLength(11);
    expect(lines(['--cookie', 'ffff'])).toHaveLength(0);
    expect(lines(['--peer', '192.0.2.2'])).toHaveLength(11);
    expect(lines(['--message-id', '8c223bc0'])).toHaveLength(3);
    const view = cli(['view', '--exchange', 'QM', '-c', '1', demo]).stdout;
    expect(view).toHaveLength(1);
    expect(view[0]).toMatch(/ISAKMP OAK QM/);
  });

  it('view, check, explain and diagnose write NDJSON', () => {
    const view = cli(['view', '--json', demo]).stdout.map((l) => JSON.parse(l));
    expect(view.every((o) => o.schema === 'oaklog.view/1')).toBe(true);
    expect(view.at(-1).type).toBe('summary');
    const failing = join(corpusRoot, 'cases/strongswan-mm-psk-mismatch/capture.pcap');
    const d = cli(['diagnose', '--json', failing]);
    const diagnoses = d.stdout.map((l) => JSON.parse(l)).filter((o) => o.type === 'diagnosis');
    expect(diagnoses[0]).toMatchObject({ phase: 1, outcome: 'authentication-failed', failed: true });
    expect(diagnoses[0].evidence[0].frame).toBeGreaterThan(0);
    expect(typeof diagnoses[0].nextStep).toBe('string');
    expect(d.code).toBe(1);
  });

  it('--strict makes a failed phase exit 1 for view and explain', () => {
    const failing = join(corpusRoot, 'cases/strongswan-mm-psk-mismatch/capture.pcap');
    const plain = cli(['view', failing]).code;
    expect(cli(['view', '--strict', failing]).code).toBe(1);
    const log = cli(['view', failing]).stdout.join('\n');
    expect(cli(['explain', '-'], log).code).toBe(0);
    expect(cli(['explain', '--strict', '-'], log).code).toBe(1);
    expect(plain).toBeLessThanOrEqual(1);
  });

  it('refuses binary input to a log command in one line, exit 2', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    for (const command of ['check', 'explain', 'diagnose']) {
      const r = cli([command, '-'], png);
      expect(r.code).toBe(2);
      expect(r.stderr).toHaveLength(1);
      expect(r.stdout).toEqual([]);
    }
  });

  it('takes --utc-offset +05:30, --tz, and TZ', () => {
    const first = (args: string[], env: Record<string, string> = {}) =>
      cli(['view', ...args, demo], undefined, env).stdout[0];
    expect(first([])).toMatch(/^00:13:51\.230 /);
    expect(first(['--utc-offset', '+05:30'])).toMatch(/^05:43:51\.230 /);
    expect(first(['--utc-offset', '330'])).toMatch(/^05:43:51\.230 /);
    expect(first(['--tz', 'Asia/Kolkata'])).toMatch(/^05:43:51\.230 /);
    expect(first([], { TZ: 'Asia/Kolkata' })).toMatch(/^05:43:51\.230 /);
    expect(cli(['view', '--tz', 'Nowhere/Else', demo]).code).toBe(2);
    const json = cli(['decode', '--json', '--utc-offset', '-08:00', demo]).stdout.map((l) => JSON.parse(l));
    expect(json[0].time).toMatch(/T\d\d:13:51\.\d{9}-08:00$/);
  });

  it('--help lists the commands, and each command has examples and exit codes', () => {
    const top = cli(['--help']).stdout.join('\n');
    for (const c of ['view', 'decode', 'check', 'explain', 'diagnose']) expect(top).toMatch(new RegExp(`\\b${c}\\b`));
    for (const c of ['view', 'decode', 'check', 'explain', 'diagnose']) {
      const help = cli([c, '--help']).stdout.join('\n');
      expect(help).toMatch(/Examples:/);
      expect(help).toMatch(/Exit codes:/);
    }
  });
});
