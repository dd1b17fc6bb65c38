/**
 * Soak benchmark: `view`, `decode`, `check` and `diagnose` (of a log and of a capture) of the built CLI at 1×, 10× and 100× input size, each a
 * child process whose peak RSS it reports itself (report-rss.mjs). Memory must stay flat with size and time grow
 * linearly, so every row is compared with the same command at 1× in the same run: the RSS ratio and the time per
 * megabyte ratio. Not part of the test suite (`pnpm bench` runs it).
 *
 *   pnpm --filter oaklog bench                       # 1×, 10×, 100× (a 1 GB capture and a 500 MB log)
 *   OAKLOG_SOAK_SCALES=1,10 pnpm --filter oaklog bench
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSoakCapture } from './make-capture';
import { writeSoakLog } from './make-log';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '../dist/main.js');
const reporter = join(here, 'report-rss.mjs');
const work = process.env.OAKLOG_SOAK_DIR ?? join(tmpdir(), 'oaklog-soak');

const MB = 1 << 20;
/** 1× sizes: 100× is then a 1 GB capture and a 500 MB log. */
const CAPTURE_1X = 10 * MB;
const LOG_1X = 5 * MB;
const scales = (process.env.OAKLOG_SOAK_SCALES ?? '1,10,100').split(',').map(Number);

interface Run {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly exitCode: number | null;
}

/** Runs the CLI with `args`, output discarded, and returns its wall time and its own peak RSS. */
async function measure(args: readonly string[]): Promise<Run> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', reporter, main, ...args], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const report = child.stdio[3];
  let rss = '';
  report?.on('data', (chunk: Buffer) => {
    rss += chunk.toString();
  });
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakRssMb: Number(rss) / 1024, exitCode };
}

/** Reuses an input of the right size from an earlier run, since writing a gigabyte takes a while. */
async function input(name: string, bytes: number, write: (path: string, bytes: number) => Promise<number>) {
  const path = join(work, name);
  if (!existsSync(path) || statSync(path).size < bytes * 0.95) await write(path, bytes);
  return { path, megabytes: statSync(path).size / MB };
}

const COMMANDS = [
  { name: 'view --no-keys', input: 'capture', args: (p: string) => ['view', '--no-keys', p] },
  { name: 'decode', input: 'capture', args: (p: string) => ['decode', p] },
  { name: 'check', input: 'log', args: (p: string) => ['check', p] },
  { name: 'diagnose', input: 'log', args: (p: string) => ['diagnose', p] },
  { name: 'diagnose --no-keys (capture)', input: 'capture', args: (p: string) => ['diagnose', '--no-keys', p] },
] as const;

mkdirSync(work, { recursive: true });
const rows: string[] = [];
const baseline = new Map<string, { perMb: number; rss: number }>();
for (const scale of scales) {
  const capture = await input(`capture-${scale}x.pcap`, CAPTURE_1X * scale, writeSoakCapture);
  const log = await input(`log-${scale}x.log`, LOG_1X * scale, writeSoakLog);
  for (const command of COMMANDS) {
    const file = command.input === 'capture' ? capture : log;
    const run = await measure(command.args(file.path));
    const perMb = run.seconds / file.megabytes;
    const base = baseline.get(command.name) ?? { perMb, rss: run.peakRssMb };
    baseline.set(command.name, base);
    rows.push(
      `| ${command.name} | ${scale}× | ${file.megabytes.toFixed(0)} MB | ${run.seconds.toFixed(1)} s | ` +
        `${(file.megabytes / run.seconds).toFixed(1)} MB/s | ${run.peakRssMb.toFixed(0)} MB | ` +
        `${(run.peakRssMb / base.rss).toFixed(2)} | ${(perMb / base.perMb).toFixed(2)} | ${run.exitCode} |`,
    );
    console.log(rows.at(-1));
  }
}
console.log(
  [
    '',
    `Soak, ${new Date().toISOString()}, Node ${process.version}, inputs in ${work}`,
    '| command | scale | input | time | throughput | peak RSS | RSS vs 1× | time/MB vs 1× | exit |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n'),
);
