/**
 * check, explain and diagnose stream the log: their output must be what reading the whole file gave (the oracle below
 * is the whole-text path the commands used before), on files that span many read chunks and in every encoding.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusRoot, listLogs } from '@oaklog/corpus';
import { createDiagnoser, decodeLogBytes, explain, formatDiagnostic, parse, verdict } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { visibleControls } from '../src/output';
import { oaklog } from './run-cli';

/** What each command printed when it read the whole file into one string. */
function whole(command: string, path: string): string[] {
  const text = decodeLogBytes(new Uint8Array(readFileSync(path))).text;
  const { events, diagnostics } = parse(text);
  const lines: string[] = [];
  if (command === 'check') {
    for (const d of diagnostics) lines.push(formatDiagnostic(text, d));
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    lines.push(`${events.length} events, ${errors} errors, ${diagnostics.length - errors} warnings`);
  } else if (command === 'explain') {
    for (const e of events) {
      lines.push(`${String(e.source?.line).padStart(5)}  ${(e.source?.raw ?? '').replace(/\r?\n$|\r$/, '')}`);
      const meaning = explain(e);
      if (meaning) lines.push(`       ${meaning}`);
    }
  } else {
    const diagnoser = createDiagnoser();
    for (const e of events) diagnoser.push(e);
    const result = diagnoser.finish();
    const overall = verdict(result);
    if (overall !== undefined) lines.push(overall);
    for (const d of result.diagnoses) {
      lines.push(
        `${d.connection ?? d.peer ?? '(unnamed connection)'} phase ${d.phase}: ${d.outcome}${d.implied ? ' (implied)' : ''}`,
      );
      lines.push(`  ${d.summary}`);
      if (d.reason !== undefined) lines.push(`  reason: ${d.reason}`);
      for (const ev of d.evidence) lines.push(`  line ${ev.line}: ${ev.text}`);
      lines.push(`  next step: ${d.nextStep}`);
    }
  }
  // The commands' output goes through the terminal-safe filter, streamed or not.
  return lines.map(visibleControls);
}

const scratch = mkdtempSync(join(tmpdir(), 'oaklog-log-commands-'));
const COMMANDS = ['check', 'explain', 'diagnose'] as const;

/** The messy corpus log (diagnostics, notes, every line shape) repeated past several 64 KiB read chunks. */
const messy = readFileSync(join(corpusRoot, listLogs().find((l) => l.name === 'safenet-messy')?.path ?? ''), 'utf8');
const big = messy.repeat(Math.ceil(300_000 / messy.length));

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) & 0xff;
    out[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

const FILES: [string, Uint8Array][] = [
  ['UTF-8, 300 kB', new TextEncoder().encode(big)],
  ['UTF-8 with CR line endings only', new TextEncoder().encode(big.replace(/\r?\n/g, '\r'))],
  ['UTF-16LE without a BOM, 600 kB', utf16le(big)],
  ['windows-1252 after 300 kB of UTF-8-valid text', Uint8Array.from([...new TextEncoder().encode(big), 0xe9, 0x0a])],
];

describe('the log commands stream', () => {
  it.each(listLogs().flatMap((l) => COMMANDS.map((c) => [l.name, c, l] as const)))(
    '%s: %s prints what reading it whole printed',
    async (_name, command, log) => {
      const path = join(corpusRoot, log.path);
      const { stdout } = await oaklog(command, path);
      expect(stdout).toEqual(whole(command, path));
    },
  );

  it.each(FILES.flatMap(([name, bytes]) => COMMANDS.map((c) => [name, c, bytes] as const)))(
    '%s: %s prints what reading it whole printed',
    async (name, command, bytes) => {
      const path = join(scratch, `${name.replace(/\W+/g, '-')}.log`);
      writeFileSync(path, bytes);
      const { code, stdout } = await oaklog(command, path);
      expect(stdout).toEqual(whole(command, path));
      expect(code).toBe(command === 'check' && stdout.at(-1)?.includes(' 0 errors') !== true ? 1 : 0);
    },
  );

  it('refuses in one line, exit 2, a file whose text holds no line break for 16 Mi characters', async () => {
    const path = join(scratch, 'one-line.log');
    writeFileSync(path, `Demo - ${'x'.repeat(17 * 1024 * 1024)}\n`);
    for (const command of COMMANDS) {
      const { code, stdout, stderr } = await oaklog(command, path);
      expect(code).toBe(2);
      expect(stdout).toEqual([]);
      expect(stderr).toEqual([expect.stringMatching(/one-line\.log: more than 16 Mi characters .*not a View Log$/)]);
    }
  });
});

/** The families people paste, end to end: what check, explain and diagnose print for them. */
describe('the log families people paste', () => {
  const log = (name: string) => join(corpusRoot, listLogs().find((l) => l.name === name)?.path ?? name);

  it('check reads a pasted Log Viewer log without a diagnostic', async () => {
    const { code, stdout } = await oaklog('check', log('vpnclient-log-pastebin-peer-not-responding'));
    expect(code).toBe(0);
    expect(stdout).toEqual(['29 events, 0 errors, 0 warnings']);
  });

  it('explain says what a vpnclient and a SonicWALL line mean, not "Log Viewer message"', async () => {
    const cli = (await oaklog('explain', log('vpnclient-cli-port-500'))).stdout.join('\n');
    expect(cli).toContain('vpnclient: Another program already holds UDP port 500');
    expect(cli).not.toContain('Log Viewer message');
    const sonic = (await oaklog('explain', log('sonicwall-bare-header-verification'))).stdout.join('\n');
    expect(sonic).toContain('SonicWALL: The peer’s packet arrived but could not be verified');
    expect(sonic).toContain('A note the person who pasted the log added');
  });

  it('diagnose points a peer that keeps answering at the key, not at connectivity', async () => {
    const { stdout } = await oaklog('diagnose', log('sonicwall-bare-header-verification'));
    expect(stdout[0]).toBe('openswan.ip phase 1: exchange-rejected');
    expect(stdout.join('\n')).toMatch(/next step: The peer is answering, so connectivity is fine/);
  });

  it('diagnose names a local failure and the teardown reason', async () => {
    const port = (await oaklog('diagnose', log('vpnclient-cli-port-500'))).stdout;
    expect(port[0]).toBe('(unnamed connection) phase 1: local-failure');
    expect(port).toContain('  reason: UDP port 500 is held by another program (bind: Address already in use)');
    const fw = (await oaklog('diagnose', log('vpnclient-cli-firewall-policy'))).stdout;
    expect(fw[0]).toBe('192.0.2.44 phase 1: deleted');
    expect(fw).toContain('  reason: Firewall Policy Mismatch');
  });

  it('diagnose says when it read too little to judge, and when no line concerns IKE', async () => {
    const notes = join(scratch, 'notes.log');
    writeFileSync(notes, 'my vpn does not work\nplease help\nthanks\n');
    expect((await oaklog('diagnose', notes)).stdout).toEqual([
      'Too little of this log was understood to judge it: oaklog read 0 of 3 non-blank lines (0%).',
    ]);
    const banner = join(scratch, 'banner.log');
    writeFileSync(banner, 'Cisco Systems VPN Client Version 4.8.01 (0640)\nClient Type(s): Linux\n');
    expect((await oaklog('diagnose', banner)).stdout).toEqual([
      'No line of this log describes IKE or the tunnel (oaklog read 2 of 2 non-blank lines (100%)).',
    ]);
  });
});
