import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { corpusRoot } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { createStreamOutput, OUTPUT_CHUNK_CHARS, visibleControls } from '../src/output';
import { oaklog } from './run-cli';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => join(here, 'fixtures', name);
const main = join(here, '../dist/main.js');

// Terminal escapes are C0 controls (but tab, LF and a line-ending CR), DEL, C1 controls and bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const RAW_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n|$)/;

/** Both streams of a run, in one list: a raw control character is wrong on either. */
async function linesOf(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const { code, stdout, stderr } = await oaklog(...args);
  return { code, lines: [...stdout, ...stderr] };
}

describe('visibleControls', () => {
  it.each([
    { name: 'ESC and BEL of an OSC title sequence', input: '\x1b]0;pwned\x07', expected: '\u241b]0;pwned\u2407' },
    {
      name: 'NUL, backspace, vertical tab, form feed',
      input: 'a\x00\x08\x0b\x0cb',
      expected: 'a\u2400\u2408\u240b\u240cb',
    },
    { name: 'DEL', input: 'x\x7f', expected: 'x\u2421' },
    { name: 'C1 CSI, the one-byte escape', input: 'x\u009b2J', expected: 'x\ufffd2J' },
    { name: 'a right-to-left override', input: 'x\u202ey', expected: 'x\ufffdy' },
    { name: 'a carriage return inside a line', input: 'ok\rfake', expected: 'ok\u240dfake' },
    { name: 'tab, line feed, CRLF and a final CR stay', input: 'a\tb\r\nc\r', expected: 'a\tb\r\nc\r' },
    { name: 'printable non-ASCII stays', input: 'Zürich ✓ 🌟', expected: 'Zürich ✓ 🌟' },
  ])('$name', ({ input, expected }) => {
    expect(visibleControls(input)).toBe(expected);
    // One code point for one: a caret placed by code points still points at the same character.
    expect([...visibleControls(input)].length).toBe([...input].length);
  });
});

describe('no command writes a raw control character', () => {
  it.each([
    ['check', fixture('ansi-escapes.log')],
    ['explain', fixture('ansi-escapes.log')],
    ['diagnose', fixture('ansi-escapes.log')],
    ['decode', fixture('terminal-escapes-in-ids.pcap')],
    ['view', fixture('terminal-escapes-in-ids.pcap')],
  ])('%s %s', async (command, path) => {
    const { lines } = await linesOf(command, path);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toMatch(RAW_CONTROL);
  });

  it('shows the escapes of the log, and the caret of check still points at its column', async () => {
    const { lines } = await linesOf('check', fixture('ansi-escapes.log'));
    const text = lines.join('\n');
    expect(text).toContain('\u241b[2J\u241b]0;pwned\u2407Pre-share');
    const report = text.split('\n');
    const at = report.findIndex((l) => /^1:\d+ error BAD_IKE_MESSAGE/.test(l));
    expect(at).toBeGreaterThanOrEqual(0);
    const column = Number(/^1:(\d+)/.exec(report[at] ?? '')?.[1]);
    const source = [...(report[at + 1] ?? '')];
    const caret = report[at + 2] ?? '';
    expect(caret.trimEnd().endsWith('^')).toBe(true);
    expect([...caret.trimEnd()].length).toBe(column);
    // The character under the caret is the one the diagnostic names: the ESC that starts the injected colour
    // sequence inside the payload list, now shown as ␛ in the same column.
    expect(source[column - 1]).toBe('\u241b');
    expect(source.slice(column - 1).join('')).toBe('\u241b[31m)');
  });
});

/** Runs the built binary with one of its output pipes closed by the reader before anything is written. */
async function withClosedPipe(stream: 'stdout' | 'stderr', args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child[stream].destroy();
  if (stream === 'stdout') child.stderr.resume();
  else child.stdout.resume();
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('a closed output pipe', () => {
  const capture = join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024/capture.pcap');

  it.each([
    {
      name: 'check of a log with errors, stderr closed',
      stream: 'stderr',
      args: ['check', fixture('ansi-escapes.log')],
    },
    {
      name: 'check of a log with errors, stdout closed',
      stream: 'stdout',
      args: ['check', fixture('ansi-escapes.log')],
    },
    { name: 'view of a capture that is fine, stdout closed', stream: 'stdout', args: ['view', capture] },
    {
      name: 'view of a file that is no capture, stderr closed',
      stream: 'stderr',
      args: ['view', fixture('ansi-escapes.log')],
    },
  ] as const)('$name keeps the exit code the input calls for', async ({ stream, args }) => {
    const expected = (await oaklog(...args)).code;
    expect(await withClosedPipe(stream, [...args])).toBe(expected);
  });

  it('the cases above include a failing command', async () => {
    expect((await oaklog('check', fixture('ansi-escapes.log'))).code).not.toBe(0);
    expect((await oaklog('view', fixture('ansi-escapes.log'))).code).toBe(2);
  });
});

/** A stream that records each write, and takes them only when `release` is called (a reader slower than us). */
function slowStream(log: string[], name: string, highWaterMark = 1024) {
  const waiting: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      log.push(`${name}:${chunk}`);
      waiting.push(done);
    },
  });
  return {
    stream,
    release: () => {
      for (const done of waiting.splice(0)) done();
    },
  };
}

describe('createStreamOutput', () => {
  it('writes lines in chunks of about 64 KiB, in order, the rest on flush', async () => {
    const chunks: string[] = [];
    const taking = (into: string[]) =>
      new Writable({
        decodeStrings: false,
        write(chunk: string, _encoding, done) {
          into.push(chunk);
          done();
        },
      });
    const output = createStreamOutput(taking(chunks), taking([]), {});
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
    for (const line of lines) output.stdout(line);
    const beforeFlush = chunks.length;
    expect(beforeFlush).toBeGreaterThan(0);
    await output.flush?.();
    expect(chunks.join('')).toBe(lines.map((l) => `${l}\n`).join(''));
    // Batched: one write per chunk's worth (the last on flush), not one per line.
    expect(chunks.length).toBe(beforeFlush + 1);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(OUTPUT_CHUNK_CHARS);
  });

  it('writes out what stdout holds before a stderr line, so a terminal shows both in order', () => {
    const log: string[] = [];
    const output = createStreamOutput(slowStream(log, 'out').stream, slowStream(log, 'err').stream, {});
    output.stdout('a');
    output.stdout('b');
    output.stderr('problem');
    output.stdout('c');
    expect(log).toEqual(['out:a\nb\n', 'err:problem\n']);
  });

  it('tells when stdout is full, and that it has room again once the reader took the chunk', async () => {
    const log: string[] = [];
    const out = slowStream(log, 'out', 16);
    const output = createStreamOutput(out.stream, slowStream(log, 'err').stream, {});
    expect(output.drain?.()).toBeUndefined();
    output.stdout('y'.repeat(OUTPUT_CHUNK_CHARS));
    const full = output.drain?.();
    expect(full).toBeInstanceOf(Promise);
    let resolved = false;
    void full?.then(() => {
      resolved = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(resolved).toBe(false);
    out.release();
    await full;
    expect(output.drain?.()).toBeUndefined();
  });

  it('drops the writes of a stream that failed with EPIPE, and no one waits for it', async () => {
    const log: string[] = [];
    const out = slowStream(log, 'out', 16);
    const output = createStreamOutput(out.stream, slowStream(log, 'err').stream, {});
    output.stdout('z'.repeat(OUTPUT_CHUNK_CHARS));
    const full = output.drain?.();
    out.stream.emit('error', Object.assign(new Error('broken pipe'), { code: 'EPIPE' }));
    await full;
    output.stdout('after');
    await output.flush?.();
    expect(output.drain?.()).toBeUndefined();
    expect(log).toHaveLength(1);
  });
});
