import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusRoot, listCaptures, listLogs } from '@oaklog/corpus';
import { parse } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { type Output, run } from '../src/index';

async function oaklog(...args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: Output = { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) };
  const code = await run(args, out);
  return { code, stdout, stderr };
}

describe('oaklog view', () => {
  it.each(listCaptures().map((c) => [c.name, c] as const))(
    '%s renders a View Log that parses cleanly',
    async (_name, c) => {
      const { stdout } = await oaklog('view', join(corpusRoot, c.path));
      const text = stdout.map((line) => `${line}\n`).join('');
      const { events, diagnostics } = parse(text);
      expect(diagnostics).toEqual([]);
      const messages = events.filter((e) => e.kind === 'ike-message');
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.length).toBeLessThanOrEqual(c.expect?.isakmpPackets ?? 0);
    },
  );

  it('decrypts with the key file next to the capture, and shows only the first payload without it', async () => {
    const capture = join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024/capture.pcap');
    const withKeys = (await oaklog('view', capture)).stdout.join('\n');
    const withoutKeys = (await oaklog('view', '--no-keys', capture)).stdout.join('\n');
    expect(withKeys).toMatch(/SENDING>>>> ISAKMP OAK MM \*\(ID, HASH, NOTIFY:STATUS_INITIAL_CONTACT\)/);
    expect(withKeys).toMatch(
      /Loading IPsec SA \(Message ID = [0-9A-F]+\) OUTBOUND SPI = [0-9A-F]+ INBOUND SPI = [0-9A-F]+\)/,
    );
    expect(withoutKeys).toMatch(/SENDING>>>> ISAKMP OAK MM \*\(ID\)/);
    expect(withoutKeys).not.toMatch(/Loading IPsec SA/);
  });

  it('takes the connection name and CRLF line endings from the options', async () => {
    const capture = join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024/capture.pcap');
    const { stdout } = await oaklog('view', '--connection', 'Balt Corporate Access', '--crlf', capture);
    expect(stdout[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} Balt Corporate Access - Initiating IKE Phase 1 \(IP ADDR=[\d.]+\)\r$/,
    );
  });

  it('reports key file errors with line and column', async () => {
    const { stderr } = await oaklog(
      'view',
      '--keys',
      join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024/NOTES.md'),
      join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024/capture.pcap'),
    );
    expect(stderr[0]).toMatch(/NOTES\.md:\d+:\d+ error /);
  });
});

describe('oaklog decode', () => {
  it.each(listCaptures().map((c) => [c.name, c] as const))('%s: one line per ISAKMP datagram', async (_name, c) => {
    const expected = c.expect;
    if (!expected) return expect.unreachable(`${c.name} has no expectations in the manifest`);
    const { code, stdout } = await oaklog('decode', join(corpusRoot, c.path));
    expect(code).toBe(0);
    const datagramLines = stdout.filter((line) => /^#\d+ \S+:\d+ -> \S+:\d+/.test(line));
    expect(datagramLines).toHaveLength(expected.isakmpPackets ?? -1);
    expect(datagramLines.some((line) => line.includes('undecodable'))).toBe(false);
    expect(stdout.at(-1)).toMatch(new RegExp(`^${expected.frames} frames: ${expected.isakmpPackets} IKE datagrams`));
  });

  it('names the payloads and vendor IDs of a main mode exchange', async () => {
    const c = listCaptures().find((x) => x.name === 'strongswan-mm-psk-3des-sha1-modp1024');
    if (!c) return expect.unreachable('the README demo capture is missing from the corpus');
    const { stdout } = await oaklog('decode', join(corpusRoot, c.path));
    expect(stdout[0]).toMatch(/IDENTITY_PROTECTION [0-9a-f]{16}\/0{16} msgid 00000000: SA\(#1 ISAKMP: KEY_IKE\(/);
    expect(stdout[0]).toContain('ENCRYPTION_ALGORITHM=3DES_CBC');
    expect(stdout.join('\n')).toMatch(/VENDOR_ID\(Dead Peer Detection/);
    expect(stdout.join('\n')).toMatch(/encrypted, first payload ID/);
  });

  it('fails with exit code 2 and a message for a missing file', async () => {
    const { code, stderr } = await oaklog('decode', '/nonexistent/capture.pcap');
    expect(code).toBe(2);
    expect(stderr.join('\n')).toMatch(/ENOENT/);
  });
});

describe('oaklog check / explain / diagnose', () => {
  it.each(listLogs().map((l) => [l.name, l] as const))('%s parses without errors', async (_name, log) => {
    const { code, stdout } = await oaklog('check', join(corpusRoot, log.path));
    expect(code).toBe(0);
    expect(stdout.at(-1)).toMatch(/^\d+ events, 0 errors/);
  });

  it.each(listLogs().map((l) => [l.name, l] as const))('%s explains every line', async (_name, log) => {
    const { code, stdout } = await oaklog('explain', join(corpusRoot, log.path));
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(0);
  });

  it('diagnoses the documented peer-not-responding scenario', async () => {
    const log = listLogs().find((l) => l.expect?.connections?.some((c) => c.phase1 === 'peer-not-responding'));
    if (!log) return expect.unreachable('the corpus lacks the peer-not-responding scenario');
    const { stdout } = await oaklog('diagnose', join(corpusRoot, log.path));
    expect(stdout.join('\n')).toMatch(/phase 1: peer-not-responding/);
  });

  it('reads UTF-16 and Windows-1252 logs as Notepad and the Windows clients saved them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oaklog-cli-'));
    const lines =
      'Caf\u00e9 VPN - Initiating IKE Phase 1 (IP ADDR=192.0.2.1)\r\nCaf\u00e9 VPN - SENDING>>>> ISAKMP OAK MM (SA)\r\n';
    const utf16 = join(dir, 'utf16.log');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, 'utf16le')]));
    const ansi = join(dir, 'ansi.log');
    writeFileSync(ansi, Buffer.from(lines, 'latin1'));
    for (const path of [utf16, ansi]) {
      const { code, stdout } = await oaklog('diagnose', path);
      expect(code).toBe(0);
      expect(stdout[0]).toMatch(/^Caf\u00e9 VPN phase 1: /);
    }
  });

  it('rejects an unknown command', async () => {
    const { code } = await oaklog('frobnicate');
    expect(code).not.toBe(0);
  });
});
