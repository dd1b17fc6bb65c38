/**
 * The capture-side goals of issue #16, each as a ratio measured in this run: the built CLI against tshark on the same
 * input (whole processes, output to /dev/null, rounds interleaved so load on the machine hits both alike), the
 * library's decode against a walk over the same datagrams, and each command's own peak RSS (report-rss.mjs) at 0.1×,
 * 1× and 10× (100× with OAKLOG_BENCH_SCALES). Best and median of the rounds are printed; ratios are of the medians.
 * Without tshark on the PATH the oaklog numbers print alone and say the peer was not measured. Not part of the test
 * suite (`pnpm bench` runs it).
 *
 *   pnpm --filter oaklog bench
 *   OAKLOG_BENCH_ROUNDS=5 OAKLOG_BENCH_SCALES=0.1,1,10,100 OAKLOG_BENCH_KEYED_SAS=40000 npx tsx bench/capture-goals.ts
 *
 * Inputs are written once to $OAKLOG_BENCH_DIR (default a folder in the system temp dir) and reused.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode } from '@oaklog/isakmp';
import { type IkeDatagram, readCaptureBytes } from '@oaklog/pcap';
import { writeKeyedCapture, writeSoakCapture } from './make-capture';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '../dist/main.js');
const reporter = join(here, 'report-rss.mjs');
const work = process.env.OAKLOG_BENCH_DIR ?? join(tmpdir(), 'oaklog-bench');

const MB = 1 << 20;
/** 1×: a capture of distinct IKE SAs of every kind the corpus holds. */
const CAPTURE_1X = 20 * MB;
const rounds = Number(process.env.OAKLOG_BENCH_ROUNDS ?? 3);
const scales = (process.env.OAKLOG_BENCH_SCALES ?? '0.1,1,10').split(',').map(Number);
const keyedSas = Number(process.env.OAKLOG_BENCH_KEYED_SAS ?? 40000);

/** tshark, when it is installed (CI installs it). */
const tshark = ['/usr/bin/tshark', 'tshark'].find((t) => spawnSync(t, ['--version']).status === 0);
const tsharkVersion = tshark === undefined ? undefined : String(spawnSync(tshark, ['--version']).stdout).split('\n')[0];

interface Run {
  readonly seconds: number;
  /** Peak resident set in MB; undefined when the command cannot report it (tshark). */
  readonly peakRssMb: number | undefined;
  readonly exitCode: number | null;
}

/** Runs one command, output discarded, and returns its wall time (and its own peak RSS, for the CLI). */
async function measure(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const cli = command === 'oaklog';
  const started = process.hrtime.bigint();
  const child = spawn(cli ? process.execPath : command, cli ? ['--import', reporter, main, ...args] : args, {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let rss = '';
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    rss += chunk.toString();
  });
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakRssMb: rss === '' ? undefined : Number(rss) / 1024, exitCode };
}

/** Reuses an input of the right size from an earlier run, since writing hundreds of megabytes takes a while. */
async function captureOf(scale: number): Promise<{ path: string; megabytes: number }> {
  const path = join(work, `capture-${scale}x.pcap`);
  const bytes = CAPTURE_1X * scale;
  if (!existsSync(path) || statSync(path).size < bytes * 0.95) await writeSoakCapture(path, bytes);
  return { path, megabytes: statSync(path).size / MB };
}

/** The keyed capture and its table (ours to read, and a Wireshark config folder holding the same table). */
async function keyedCapture() {
  const path = join(work, `keyed-${keyedSas}.pcap`);
  const table = join(work, `keyed-${keyedSas}.table`);
  const config = join(work, `wireshark-${keyedSas}`);
  if (!existsSync(path) || !existsSync(table)) await writeKeyedCapture(path, table, keyedSas);
  mkdirSync(config, { recursive: true });
  copyFileSync(table, join(config, 'ikev1_decryption_table'));
  const ikeSas = readFileSync(table, 'utf8').trim().split('\n').length;
  return { path, table, config, ikeSas, megabytes: statSync(path).size / MB };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;
const best = (xs: readonly number[]) => Math.min(...xs);

interface Pair {
  readonly goal: string;
  /** How many times faster oaklog must be (a ratio of tshark's time to ours). */
  readonly target: number;
  readonly input: { path: string; megabytes: number };
  readonly ours: readonly string[];
  readonly peer: readonly string[];
  readonly peerEnv?: NodeJS.ProcessEnv;
}

mkdirSync(work, { recursive: true });
const one = await captureOf(1);
const keyed = await keyedCapture();
/** The two ISAKMP fields: the initiator cookie and the exchange type, one line a datagram as `view` writes one. */
const FIELDS = ['-T', 'fields', '-e', 'isakmp.ispi', '-e', 'isakmp.exchangetype'];
const pairs: Pair[] = [
  {
    goal: 'view --no-keys vs tshark -T fields (isakmp.ispi, isakmp.exchangetype)',
    target: 10,
    input: one,
    ours: ['view', '--no-keys', one.path],
    peer: ['-r', one.path, ...FIELDS],
  },
  {
    goal: `view --keys vs tshark -T fields (+ isakmp.typepayload), same key table, ${keyed.ikeSas} IKE SAs`,
    target: 5,
    input: keyed,
    ours: ['view', '--keys', keyed.table, keyed.path],
    // The payload types of the decrypted messages make tshark decrypt, as `view --keys` lists every payload.
    peer: ['-r', keyed.path, ...FIELDS, '-e', 'isakmp.typepayload'],
    peerEnv: { WIRESHARK_CONFIG_DIR: keyed.config },
  },
  {
    goal: 'decode --json vs tshark -T json',
    target: 20,
    input: one,
    ours: ['decode', '--json', one.path],
    peer: ['-r', one.path, '-T', 'json'],
  },
  {
    goal: 'decode --verbose (text tree) vs tshark -V',
    target: 10,
    input: one,
    ours: ['decode', '--verbose', one.path],
    peer: ['-r', one.path, '-V'],
  },
];

// Without keys in their config folder, tshark runs with a fresh one, as the CLI reads no sibling key file.
const emptyConfig = join(work, 'wireshark-empty');
mkdirSync(emptyConfig, { recursive: true });

const times = pairs.map(() => ({ ours: [] as number[], peer: [] as number[], rss: [] as number[] }));
for (let round = 0; round < rounds; round++)
  for (const [i, pair] of pairs.entries()) {
    const t = times[i] as (typeof times)[number];
    const ours = await measure('oaklog', pair.ours);
    t.ours.push(ours.seconds);
    if (ours.peakRssMb !== undefined) t.rss.push(ours.peakRssMb);
    if (tshark !== undefined)
      t.peer.push((await measure(tshark, pair.peer, pair.peerEnv ?? { WIRESHARK_CONFIG_DIR: emptyConfig })).seconds);
  }

/** What every command pays before it reads a byte: starting Node and loading the bundle (`oaklog --version`). */
const startup: number[] = [];
for (let round = 0; round < rounds; round++) startup.push((await measure('oaklog', ['--version'])).seconds);

/** Library decode against a walk of the same datagrams: in this process, best of the rounds. */
function libraryRatio(path: string) {
  const datagrams = [...readCaptureBytes(new Uint8Array(readFileSync(path)))]
    .filter((x): x is IkeDatagram => x.kind === 'ike')
    .map((d) => d.bytes.slice());
  let sink = 0;
  /** Reads every byte once: the floor of any decoder that looks at everything. */
  const walk = () => {
    for (const b of datagrams) for (let i = 0; i < b.length; i++) sink = (sink + (b[i] as number)) | 0;
  };
  const decodeAll = () => {
    for (const b of datagrams)
      try {
        sink += decode(b).payloads.length;
      } catch {
        sink += 1;
      }
  };
  const timeOf = (fn: () => void) => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  const walks: number[] = [];
  const decodes: number[] = [];
  for (let r = 0; r < Math.max(rounds, 5); r++) {
    walks.push(timeOf(walk));
    decodes.push(timeOf(decodeAll));
  }
  if (sink === 0.5) throw new Error('unreachable');
  return { walk: best(walks), decode: best(decodes), datagrams: datagrams.length };
}
const library = libraryRatio(one.path);

// Scaling: `view --no-keys` and `decode` per megabyte at each scale, against 1×, with peak RSS.
const scaleRows: string[] = [];
const SCALED = [
  { name: 'view --no-keys', args: (p: string) => ['view', '--no-keys', p] },
  { name: 'decode', args: (p: string) => ['decode', p] },
  { name: 'decode --json', args: (p: string) => ['decode', '--json', p] },
] as const;
const perMbAt1 = new Map<string, number>();
const scaled: { scale: number; name: string; mb: number; s: number[]; rss: number[]; exit: number | null }[] = [];
for (const scale of [...scales].sort((a, b) => a - b)) {
  const input = await captureOf(scale);
  // The big inputs take long: one round above 1×.
  const n = scale > 1 ? 1 : rounds;
  for (const c of SCALED) {
    const row = {
      scale,
      name: c.name,
      mb: input.megabytes,
      s: [] as number[],
      rss: [] as number[],
      exit: 0 as number | null,
    };
    for (let r = 0; r < n; r++) {
      const run = await measure('oaklog', c.args(input.path));
      row.s.push(run.seconds);
      row.rss.push(run.peakRssMb ?? Number.NaN);
      row.exit = run.exitCode;
    }
    scaled.push(row);
    if (scale === 1) perMbAt1.set(c.name, median(row.s) / input.megabytes);
  }
}
for (const row of scaled) {
  const perMb = median(row.s) / row.mb;
  const base = perMbAt1.get(row.name);
  scaleRows.push(
    `| ${row.name} | ${row.scale}× | ${row.mb.toFixed(1)} MB | ${best(row.s).toFixed(2)} s | ${median(row.s).toFixed(2)} s | ` +
      `${(row.mb / median(row.s)).toFixed(1)} MB/s | ${base === undefined ? '—' : (perMb / base).toFixed(2)} | ` +
      `${Math.max(...row.rss).toFixed(0)} MB | ${row.exit} |`,
  );
}

const seconds = (xs: readonly number[]) =>
  xs.length === 0 ? '—' : `${best(xs).toFixed(2)} / ${median(xs).toFixed(2)} s`;
const goalRows = pairs.map((pair, i) => {
  const t = times[i] as (typeof times)[number];
  const ratio = t.peer.length === 0 ? undefined : median(t.peer) / median(t.ours);
  const verdict = ratio === undefined ? 'peer not measured (no tshark)' : ratio >= pair.target ? 'met' : 'NOT met';
  return `| ${pair.goal} | ${pair.input.megabytes.toFixed(1)} MB | ${seconds(t.ours)} | ${seconds(t.peer)} | ${
    ratio === undefined ? '—' : `${ratio.toFixed(2)}×`
  } | ≥ ${pair.target}× | ${verdict} | ${Math.max(...t.rss).toFixed(0)} MB |`;
});
const libraryShare = library.walk / library.decode;
goalRows.push(
  `| library decode (\`@oaklog/isakmp\` decode) vs a byte walk, ${library.datagrams} datagrams | ${one.megabytes.toFixed(1)} MB | ` +
    `${(library.decode / 1000).toFixed(3)} s | ${(library.walk / 1000).toFixed(3)} s (walk) | ${(100 * libraryShare).toFixed(0)}% of the walk's speed | ≥ 20% | ${
      libraryShare >= 0.2 ? 'met' : 'NOT met'
    } | — |`,
);
const rssMax = Math.max(...scaled.flatMap((r) => r.rss), ...times.flatMap((t) => t.rss));
console.log(
  [
    '',
    `Capture goals (issue #16), ${new Date().toISOString()}, Node ${process.version}, ${
      tsharkVersion ?? 'tshark not installed: peer not measured'
    }, ${rounds} interleaved rounds, inputs in ${work}`,
    '',
    '| goal | input | oaklog best / median | tshark best / median | tshark ÷ oaklog (medians) | target | | oaklog peak RSS |',
    '|---|---|---|---|---|---|---|---|',
    ...goalRows,
    '',
    `Starting Node and loading the CLI (\`oaklog --version\`): best ${best(startup).toFixed(2)} s, median ${median(startup).toFixed(2)} s.`,
    '',
    `Scaling (time per MB against 1×; one round above 1×). Peak RSS of every oaklog run above: ${rssMax.toFixed(0)} MB (goal < 150 MB: ${
      rssMax < 150 ? 'met' : 'NOT met'
    })`,
    '',
    '| command | scale | input | best | median | throughput | time/MB vs 1× | peak RSS | exit |',
    '|---|---|---|---|---|---|---|---|---|',
    ...scaleRows,
  ].join('\n'),
);
