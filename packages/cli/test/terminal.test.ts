/**
 * Colour and progress are for a person at a terminal: what decides them, what they change (the escape sequences
 * only, never the text), and that pipes, files and NDJSON get none.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { getCapture } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { coloursFor, colourWanted, createProgress, highlight, progressWanted } from '../src/terminal';

// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is tested
const ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]/g;
const plain = (s: string) => s.replace(ESCAPE, '');

describe('colourWanted', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, true],
    [false, { FORCE_COLOR: '0' }, false],
    [true, { TERM: 'dumb' }, false],
  ])('a TTY %s with %o: %s', (tty, env, wanted) => expect(colourWanted(tty, env)).toBe(wanted));

  it('progress only on a TTY that is not a CI log', () => {
    expect(progressWanted(true, {})).toBe(true);
    expect(progressWanted(true, { CI: 'true' })).toBe(false);
    expect(progressWanted(true, { CI: 'false' })).toBe(true);
    expect(progressWanted(false, {})).toBe(false);
  });
});

describe('highlight', () => {
  const on = coloursFor(true);
  const lines = [
    '01:38:02.570 Balt Corporate Access - SENDING>>>> ISAKMP OAK MM (SA)',
    '01:38:02.764 Balt Corporate Access - RECEIVED<<<< ISAKMP OAK MM (SA)',
    '01:38:03.421 Balt Corporate Access - Established IKE SA',
    '01:38:04.421 Pre-share - Exceeded 3 IKE SA negotiation attempts',
    '192.0.2.2 phase 1: established',
    '192.0.2.2 phase 2: proposal-rejected',
    '  next step: Compare the proposals.',
  ];

  it.each(lines)('colours and keeps every character of %s', (line) => {
    const out = highlight(line, 'stdout', on);
    expect(out).not.toBe(line);
    expect(plain(out)).toBe(line);
  });

  it('colours verdicts by outcome: established green, a failure red', () => {
    expect(highlight('x phase 1: established', 'stdout', on)).toContain(on.green(on.bold('established')));
    expect(highlight('x phase 2: proposal-rejected', 'stdout', on)).toContain(on.red(on.bold('proposal-rejected')));
  });

  it('colours stderr errors and notes', () => {
    const problem = '#12 192.0.2.1:500 -> 192.0.2.2:500 undecodable: TRUNCATED at byte 28: …';
    expect(highlight(problem, 'stderr', on)).toContain(on.red('undecodable'));
    expect(plain(highlight('oaklog: 3 IKEv2 datagrams left out', 'stderr', on))).toBe(
      'oaklog: 3 IKEv2 datagrams left out',
    );
  });

  it('leaves NDJSON alone, and changes nothing with colour off', () => {
    const json = '{"lines":["SENDING>>>> ISAKMP OAK MM (SA)"]}';
    expect(highlight(json, 'stdout', on)).toBe(json);
    for (const line of lines) expect(highlight(line, 'stdout', coloursFor(false))).toBe(line);
  });
});

describe('createProgress', () => {
  /** A terminal-like stream that records what is written. */
  function terminal(): { stream: NodeJS.WriteStream; written: () => string } {
    let text = '';
    const w = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }) as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number };
    w.isTTY = true;
    w.columns = 80;
    // What a TTY write stream has that a plain Writable lacks (the spinner moves the cursor to redraw its line).
    Object.assign(w, {
      cursorTo: (_x: number, cb?: () => void) => w.write('\x1b[1G', cb),
      clearLine: (_dir: number, cb?: () => void) => w.write('\x1b[2K', cb),
      moveCursor: (_dx: number, _dy: number, cb?: () => void) => w.write('\x1b[1A', cb),
    });
    return { stream: w, written: () => text };
  }

  it('draws nothing during the first second, then the bytes read and the share of the file, and clears at the end', () => {
    const { stream, written } = terminal();
    let now = 0;
    const p = createProgress('big.pcap', 4_000_000, stream, () => now);
    p.read(1_000_000);
    now = 900;
    p.read(2_000_000);
    expect(written()).toBe('');
    now = 1100;
    p.read(3_000_000);
    expect(plain(written())).toContain('reading big.pcap: 3.0 MB of 4.0 MB (75%)');
    p.done();
    const after = written().length;
    now = 5000;
    p.read(4_000_000);
    expect(written().length).toBe(after);
  });
});

describe('the process output (built binary)', () => {
  const main = join(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');
  const capture = join(
    dirname(fileURLToPath(import.meta.url)),
    '../../../corpus',
    getCapture('strongswan-mm-psk-3des-sha1-modp1024').path,
  );
  const run = (env: Record<string, string | undefined>, ...args: string[]) =>
    spawnSync(process.execPath, [main, ...args], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
    });

  it('is plain in a pipe, coloured with FORCE_COLOR, plain again with NO_COLOR', () => {
    const piped = run({}, 'view', capture);
    expect(piped.stdout).not.toMatch(ESCAPE);
    const forced = run({ FORCE_COLOR: '1' }, 'view', capture);
    expect(forced.stdout).toMatch(ESCAPE);
    expect(plain(forced.stdout)).toBe(piped.stdout);
    expect(run({ NO_COLOR: '1' }, 'view', capture).stdout).toBe(piped.stdout);
  });

  it('never colours NDJSON, even when forced', () => {
    const json = run({ FORCE_COLOR: '1' }, 'view', '--json', capture);
    expect(json.status).toBe(0);
    expect(json.stdout).not.toMatch(ESCAPE);
  });

  // A real terminal: util-linux `script` runs the command on a pseudo-terminal, so stdout and stderr are TTYs.
  const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  const onTerminal = (command: string, env: Record<string, string | undefined> = {}) =>
    spawnSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, CI: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm', ...env },
    }).stdout;

  it.runIf(haveScript)('colours on a terminal, and shows progress for input that takes over a second', () => {
    const view = onTerminal(`"${process.execPath}" "${main}" view --no-keys "${capture}" 2>/dev/null`);
    expect(view).toMatch(ESCAPE);
    expect(plain(view).replace(/\r\n/g, '\n')).toBe(run({}, 'view', '--no-keys', capture).stdout);
    // stdin that arrives after 1.5 s: the progress line appears on stderr, and goes when the input is read.
    const slow = `sh -c 'sleep 1.5; cat "${capture}"' | "${process.execPath}" "${main}" view --no-keys - 2>&1 >/dev/null`;
    expect(plain(onTerminal(slow))).toMatch(/reading stdin: \d+\.\d MB/);
    expect(plain(onTerminal(slow, { CI: 'true' }))).not.toMatch(/reading stdin/);
    expect(
      plain(onTerminal(`"${process.execPath}" "${main}" view --no-keys "${capture}" 2>&1 >/dev/null`)),
    ).not.toMatch(/reading/);
  });
});
