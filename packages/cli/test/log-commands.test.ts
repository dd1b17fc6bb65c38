/**
 * check, explain and diagnose stream the log: their output must be what reading the whole file gave (the oracle below
 * is the whole-text path the commands used before), on files that span many read chunks and in every encoding.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusRoot, listLogs } from '@oaklog/corpus';
import { decodeLogBytes, diagnose, explain, formatDiagnostic, parse } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { type Output, run } from '../src/index';
import { visibleControls } from '../src/output';

async function oaklog(...args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: Output = { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) };
  const code = await run(args, out);
  return { code, stdout, stderr };
}

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
    for (const d of diagnose(events)) {
      lines.push(
        `${d.connection ?? d.peer ?? '(unnamed connection)'} phase ${d.phase}: ${d.outcome}${d.implied ? ' (implied)' : ''}`,
      );
      lines.push(`  ${d.summary}`);
      for (const ev of d.evidence) lines.push(`  line ${ev.line}: ${ev.text}`);
      lines.push(`  next step: ${d.nextStep}`);
    }
    if (lines.length === 0) lines.push('no IKE negotiation found in this log');
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
