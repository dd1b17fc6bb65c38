/**
 * The log side of issue #16's goals, measured in one run: a line split, `parse` and `parseStream` in this process on
 * the 1× log, then whole processes at each scale: a process that only streams the log through `parseStream`
 * (parse-file.mjs, the floor of every log command) and the built CLI's `check`, `explain` and `diagnose`, each with
 * the peak RSS it reports itself (report-rss.mjs). Rounds are interleaved, so the machine's load falls on every
 * contender alike; each goal is judged on medians measured in this run and printed with its ratio.
 *
 *   pnpm --filter @oaklog/viewlog bench                   # 1× (78 MB) and 10× (780 MB)
 *   OAKLOG_LOG_SCALES=1,10,100 OAKLOG_LOG_ROUNDS=5 pnpm --filter @oaklog/viewlog bench
 *
 * The log is the soak log of the CLI bench (the corpus's timed SafeNet scenarios under 1000 connection names); it is
 * written once into OAKLOG_SOAK_DIR (default the temp dir) and reused.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSoakLog } from '../../cli/bench/make-log';
import { parse, parseStream, splitLines } from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '../../cli/dist/main.js');
const reporter = join(here, '../../cli/bench/report-rss.mjs');
const parseFile = join(here, 'parse-file.mjs');
const work = process.env.OAKLOG_SOAK_DIR ?? join(tmpdir(), 'oaklog-soak');

const MIB = 1 << 20;
/** The log: 78 MB at 1× (OAKLOG_LOG_1X_MB for a quick try). */
const LOG_1X = Number(process.env.OAKLOG_LOG_1X_MB ?? 78) * 1_000_000;
const scales = (process.env.OAKLOG_LOG_SCALES ?? '1,10').split(',').map(Number);
/** Rounds at 1×; larger scales get one round each (a 10× round takes minutes). */
const rounds = Number(process.env.OAKLOG_LOG_ROUNDS ?? 3);
/** Peak RSS every log command must stay under, at every scale (getrusage counts kilobytes of 1024 bytes). */
const RSS_LIMIT_MIB = 150;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Seconds of best and median of a list of timings. */
function spread(xs: readonly number[]): string {
  return `${Math.min(...xs).toFixed(2)} s best, ${median(xs).toFixed(2)} s median`;
}

interface Run {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly exitCode: number | null;
  readonly outputBytes: number;
}

/** Runs `node script args` with its stdout drained through a pipe (as `oaklog check x.log | less` would). */
async function measure(script: string, args: readonly string[]): Promise<Run> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', reporter, script, ...args], {
    stdio: ['ignore', 'pipe', 'ignore', 'pipe'],
  });
  let outputBytes = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    outputBytes += chunk.length;
  });
  let rss = '';
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    rss += chunk.toString();
  });
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakRssMb: Number(rss) / 1024, exitCode, outputBytes };
}

/** Seconds `f` takes. */
function timed(f: () => void): number {
  const started = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function timedAsync(f: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The log at `scale`, written once and reused. */
async function logAt(scale: number): Promise<{ path: string; megabytes: number }> {
  const path = join(work, `goals-log-${scale}x.log`);
  if (!existsSync(path) || statSync(path).size < LOG_1X * scale * 0.95) await writeSoakLog(path, LOG_1X * scale);
  return { path, megabytes: statSync(path).size / MIB };
}

const goals: { goal: string; measured: string; met: boolean }[] = [];
function judge(goal: string, ratio: number, limit: number, detail: string): void {
  goals.push({ goal, measured: `${ratio.toFixed(2)} (${detail})`, met: ratio <= limit });
}

// The processes run the built code: a dist older than the sources would measure yesterday's parser.
const newest = (dir: string): number =>
  Math.max(...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => statSync(join(dir, f)).mtimeMs));
for (const [dist, src] of [
  [join(here, '../dist/index.js'), join(here, '../src')],
  [cli, join(here, '../../cli/src')],
] as const)
  if (!existsSync(dist) || statSync(dist).mtimeMs < newest(src))
    throw new Error(`${dist} is missing or older than ${src}: run pnpm build first`);

mkdirSync(work, { recursive: true });

// In this process, on the 1× text: the split every line reader pays, then the grammar on the whole text and in chunks.
const one = await logAt(1);
const text = readFileSync(one.path, 'utf8');
const CHUNK = 64 * 1024;
const chunks: string[] = [];
for (let i = 0; i < text.length; i += CHUNK) chunks.push(text.slice(i, i + CHUNK));
const library = { split: [] as number[], parse: [] as number[], parseStream: [] as number[] };
let events = 0;
for (let r = 0; r < rounds; r++) {
  library.split.push(timed(() => void splitLines(text)));
  library.parse.push(
    timed(() => {
      events = parse(text).events.length;
    }),
  );
  library.parseStream.push(
    await timedAsync(async () => {
      for await (const _ of parseStream(chunks));
    }),
  );
}
console.log(`1× log: ${one.megabytes.toFixed(1)} MiB, ${splitLines(text).length} lines, ${events} events`);
for (const [name, xs] of Object.entries(library))
  console.log(`  ${name.padEnd(12)} ${spread(xs)}, ${(one.megabytes / median(xs)).toFixed(1)} MiB/s`);
const splitMedian = median(library.split);
judge(
  'parse at least 33% of the speed of a line split (time ≤ 3.03×)',
  median(library.parse) / splitMedian,
  1 / 0.33,
  `parse ${median(library.parse).toFixed(2)} s / split ${splitMedian.toFixed(2)} s`,
);
judge(
  'parseStream as fast as parse (time ≤ 1.5×)',
  median(library.parseStream) / median(library.parse),
  1.5,
  `parseStream ${median(library.parseStream).toFixed(2)} s / parse ${median(library.parse).toFixed(2)} s`,
);

// Whole processes: the parse floor and the three commands, interleaved round by round.
const COMMANDS = [
  { name: 'parseStream (process)', script: parseFile, args: (p: string) => [p] },
  { name: 'check', script: cli, args: (p: string) => ['check', p] },
  { name: 'explain', script: cli, args: (p: string) => ['explain', p] },
  { name: 'diagnose', script: cli, args: (p: string) => ['diagnose', p] },
] as const;
const rows: string[] = [];
for (const scale of scales) {
  const log = await logAt(scale);
  const runs = new Map<string, Run[]>(COMMANDS.map((c) => [c.name, []]));
  for (let r = 0; r < (scale === 1 ? rounds : 1); r++)
    for (const c of COMMANDS) runs.get(c.name)?.push(await measure(c.script, c.args(log.path)));
  const floor = median((runs.get('parseStream (process)') ?? []).map((x) => x.seconds));
  for (const c of COMMANDS) {
    const rs = runs.get(c.name) ?? [];
    const seconds = rs.map((x) => x.seconds);
    const rss = Math.max(...rs.map((x) => x.peakRssMb));
    const ratio = median(seconds) / floor;
    rows.push(
      `| ${c.name} | ${scale}× | ${log.megabytes.toFixed(0)} MiB | ${Math.min(...seconds).toFixed(2)} s | ` +
        `${median(seconds).toFixed(2)} s | ${(log.megabytes / median(seconds)).toFixed(1)} MiB/s | ` +
        `${ratio.toFixed(2)} | ${rss.toFixed(0)} MiB | ${((rs[0]?.outputBytes ?? 0) / MIB).toFixed(1)} MiB | ${rs[0]?.exitCode} |`,
    );
    console.log(rows.at(-1));
    if (c.script === cli)
      judge(
        `${c.name} within 3× of parse at ${scale}×`,
        ratio,
        3,
        `${median(seconds).toFixed(2)} s / ${floor.toFixed(2)} s`,
      );
    judge(
      `${c.name} peak RSS under ${RSS_LIMIT_MIB} MiB at ${scale}×`,
      rss / RSS_LIMIT_MIB,
      1,
      `${rss.toFixed(0)} MiB`,
    );
  }
}

console.log(
  [
    '',
    `Log goals, ${new Date().toISOString()}, Node ${process.version}, ${rounds} rounds at 1×, inputs in ${work}`,
    '| command | scale | input | best | median | throughput | vs parseStream process | peak RSS | output | exit |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '| goal | ratio (measured) | met |',
    '|---|---|---|',
    ...goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.met ? 'yes' : 'no'} |`),
  ].join('\n'),
);
