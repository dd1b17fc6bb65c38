#!/usr/bin/env node
// Runs the fuzz targets in ../targets under Jazzer.js. See ../README.md.
//
//   pnpm fuzz                                   every target for 30 s each
//   pnpm fuzz --target isakmp-decode --time 600 one target for ten minutes
//   pnpm fuzz --mode coverage                   replay each corpus with istanbul and print source line coverage
//   pnpm fuzz --mode merge                      minimise each growing corpus (libFuzzer -merge=1)
//   pnpm fuzz --mode regression                 replay corpora and seeds once, no mutation
//   pnpm fuzz --mode smoke --jobs 2             every target from its seeds alone, then 300 mutations, two at a time (the
//                                               fuzz package's test: fails on a finding or a run that did not fuzz)
//   pnpm fuzz --mode seeds                      only write the seeds and the .mjs shims (for .clusterfuzzlite/build.sh)
//   pnpm fuzz --list [--quiet]                  target names [with their metadata] as JSON
//   pnpm fuzz --target X --input crash-file     run one saved input (a finding) and show what it breaks
//   pnpm fuzz --target X --input crash-file -- -minimize_crash=1 -max_total_time=60   shrink a finding
//   pnpm fuzz --target X -- -runs=1000          anything after -- goes to libFuzzer
//
// Per target it writes the corpus seeds to .work/seeds/<target>/, keeps the growing corpus in
// .work/corpus/<target>/ (or --corpus <dir>/<target>/), writes findings to .work/findings/<target>/, libFuzzer's
// output to .work/logs/<target>-<mode>.log, and a machine-readable summary to .work/summary.json. It exits 1 when any target finds a crash or timeout.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import { parserCoverage } from './coverage.mjs';

const fuzzDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(fuzzDir, '..');
const jazzerCli = join(fuzzDir, 'node_modules', '@jazzer.js', 'core', 'dist', 'cli.js');

const separator = process.argv.indexOf('--', 2);
const ours = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const libFuzzerExtra = separator === -1 ? [] : process.argv.slice(separator + 1);
const { values: options } = parseArgs({
  args: ours,
  options: {
    target: { type: 'string', short: 't', multiple: true },
    time: { type: 'string' },
    mode: { type: 'string', default: 'fuzz' },
    corpus: { type: 'string' },
    input: { type: 'string', multiple: true },
    work: { type: 'string' },
    jobs: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    quiet: { type: 'boolean', short: 'q', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (options.help) {
  console.log(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\nimport')[0]
      .replace(/^#!.*\n/, ''),
  );
  process.exit(0);
}

const work = resolve(options.work ?? join(fuzzDir, '.work'));
const corpusRoot = resolve(options.corpus ?? join(work, 'corpus'));
const mode = options.mode;
if (!['fuzz', 'regression', 'coverage', 'merge', 'seeds', 'smoke'].includes(mode)) fail(`unknown --mode ${mode}`);
const seconds = Number(options.time ?? (mode === 'smoke' ? 1 : 30));
if (!Number.isFinite(seconds) || seconds <= 0) fail(`--time must be a positive number of seconds`);

const { targets } = await tsImport('../lib/targets.ts', import.meta.url);
const { seedSources, regressionSeeds } = await tsImport('../lib/seeds.ts', import.meta.url);

const targetFiles = readdirSync(join(fuzzDir, 'targets'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3))
  .sort();
for (const name of targetFiles) if (!targets[name]) fail(`targets/${name}.ts has no entry in lib/targets.ts`);

if (options.list) {
  // With --quiet, the metadata too (for .clusterfuzzlite/build.sh).
  console.log(
    JSON.stringify(options.quiet ? Object.fromEntries(targetFiles.map((n) => [n, targets[n]])) : targetFiles),
  );
  process.exit(0);
}

const selected = (options.target ?? []).flatMap((t) => t.split(',')).filter(Boolean);
for (const name of selected) if (!targetFiles.includes(name)) fail(`no target ${name}; have ${targetFiles.join(', ')}`);
const chosen = selected.length > 0 ? selected : targetFiles;

function fail(message) {
  console.error(`fuzz: ${message}`);
  process.exit(2);
}

function run(command, args, cwd = root) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed`);
}

/** Writes inputs into a folder named by content hash, the way libFuzzer names corpus files. */
function writeInputs(dir, seeds) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const seed of seeds) {
    writeFileSync(join(dir, createHash('sha1').update(seed.bytes).digest('hex')), seed.bytes);
  }
}

/** Picks the numbers the README and the nightly summary need out of libFuzzer's output. */
function parseOutput(text) {
  const stat = (name) => {
    const matches = [...text.matchAll(new RegExp(`stat::${name}:\\s+(\\d+)`, 'g'))];
    return matches.length ? Number(matches[matches.length - 1][1]) : undefined;
  };
  const status = [...text.matchAll(/#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)\/(\S+)/g)].pop();
  const done = text.match(/Done (\d+) runs in (\d+) second/);
  return {
    runs: stat('number_of_executed_units') ?? (done ? Number(done[1]) : undefined),
    execPerSec: stat('average_exec_per_sec'),
    newUnits: stat('new_units_added'),
    peakRssMb: stat('peak_rss_mb'),
    cov: status ? Number(status[2]) : undefined,
    ft: status ? Number(status[3]) : undefined,
    corpusUnits: status ? Number(status[4]) : undefined,
    artifacts: [...text.matchAll(/Test unit written to (\S+)/g)].map((m) => m[1]),
  };
}

/** Mutated inputs a smoke run must get through: the dead target this catches stopped within about 1,000. */
const SMOKE_MIN_MUTATIONS = 20;
/** Mutated inputs a smoke run asks for, unless its target says (lib/targets.ts `smokeMutations`). */
const SMOKE_MUTATIONS = 300;
/** The most a smoke run of one target may take, should it be far slower than measured. */
const SMOKE_MAX_SECONDS = 120;

/** Why a smoke run that exited 0 still did not fuzz, or undefined when it did. */
function smokeShortfall(text, parsed) {
  const inited = text.match(/#(\d+)\s+INITED/);
  if (!inited) return 'never finished reading its seeds (no INITED line)';
  // Not libFuzzer's "Done" line: a process that exits 0 sometimes loses its last lines to the pipe.
  const mutated = (parsed.runs ?? 0) - Number(inited[1]);
  if (mutated < SMOKE_MIN_MUTATIONS) return `ran ${mutated} mutated inputs, fewer than ${SMOKE_MIN_MUTATIONS}`;
  return undefined;
}

/** The end of a log, for a failure in --quiet mode. */
function lastLines(text, count) {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** Jazzer.js loads .js/.mjs/.cjs only: a shim re-exports the TypeScript target (compiled by tsx at load). */
function writeShim(name) {
  const shim = join(work, 'shims', `${name}.mjs`);
  mkdirSync(dirname(shim), { recursive: true });
  const target = relative(dirname(shim), join(fuzzDir, 'targets', `${name}.ts`));
  writeFileSync(shim, `export { fuzz } from ${JSON.stringify(target.startsWith('.') ? target : `./${target}`)};\n`);
  return shim;
}

function jazzer(name, info, positional, jazzerFlags, libFuzzerFlags) {
  const includes = [info.package, ...(info.alsoInstrument ?? [])].flatMap((pkg) => ['-i', `packages/${pkg}/dist/`]);
  const shim = writeShim(name);
  const args = [
    jazzerCli,
    shim,
    ...positional,
    ...(info.async ? [] : ['--sync']),
    ...includes,
    '-i',
    'fuzz/targets/',
    '--timeout',
    '5000',
    ...jazzerFlags,
    '--',
    `-dict=${join(fuzzDir, 'dictionaries', info.dictionary)}`,
    `-max_len=${info.maxLen}`,
    '-print_final_stats=1',
    '-rss_limit_mb=3072',
    ...libFuzzerFlags,
    ...libFuzzerExtra,
  ];
  // tsx goes in through NODE_OPTIONS, not the command line: libFuzzer's -merge re-runs the command from
  // process.argv, which does not carry node's own flags.
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim() };
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: fuzzDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const onData = (chunk) => {
      const s = chunk.toString();
      text += s;
      if (text.length > 4_000_000) text = text.slice(-2_000_000);
      if (!options.quiet) process.stderr.write(s);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), text }));
  });
}

// The addon may need its glibc patch (pnpm skips the root postinstall when node_modules is already current).
if (mode !== 'seeds') run(process.execPath, [join(root, 'scripts', 'patch-jazzer.mjs')]);
if (!options['no-build']) {
  run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@oaklog/fuzz^...', '--output-logs=errors-only']);
}

let failed = false;
/** Runs one target in the chosen mode; its summary row, or undefined in seeds mode. */
async function runTarget(name) {
  const info = targets[name];
  const seedsDir = join(work, 'seeds', name);
  // A smoke run starts from the seeds alone, so its result depends on the commit, not on what this machine fuzzed before.
  const corpusDir = mode === 'smoke' ? join(work, 'smoke', name) : join(corpusRoot, name);
  if (mode === 'smoke') rmSync(corpusDir, { recursive: true, force: true });
  const findingsDir = join(work, 'findings', name);
  writeInputs(seedsDir, [...seedSources[info.seeds](), ...regressionSeeds(name)]);
  mkdirSync(corpusDir, { recursive: true });
  mkdirSync(findingsDir, { recursive: true });
  const artifactPrefix = `-artifact_prefix=${findingsDir}/`;
  if (mode === 'seeds') {
    writeShim(name);
    return undefined;
  }
  const label = options.input
    ? 'saved input'
    : mode === 'fuzz'
      ? `${mode}, ${seconds} s`
      : mode === 'smoke'
        ? `smoke: seeds, then ${info.smokeMutations ?? SMOKE_MUTATIONS} mutations`
        : mode;
  console.error(`\n=== ${name} (${label}): ${info.description}`);

  const started = Date.now();
  let result;
  let coverage;
  if (options.input) {
    const inputs = options.input.map((file) => resolve(file));
    result = await jazzer(name, info, inputs, [], [artifactPrefix]);
  } else if (mode === 'fuzz') {
    result = await jazzer(name, info, [corpusDir, seedsDir], [], [`-max_total_time=${seconds}`, artifactPrefix]);
  } else if (mode === 'smoke') {
    // A fixed seed, so that a failure reruns the same way. The work is counted, not timed: every seed once plus a
    // fixed number of mutated inputs, whatever the load. (A slow target, `pipeline` at about 40 exec/s on a loaded
    // 2-core machine, spent its whole second reading its seeds and mutated nothing.) The clock is only a cap.
    const seedCount = readdirSync(seedsDir).length;
    const flags = [
      `-runs=${seedCount + (info.smokeMutations ?? SMOKE_MUTATIONS)}`,
      `-max_total_time=${Math.max(seconds, SMOKE_MAX_SECONDS)}`,
      '-seed=1',
      artifactPrefix,
    ];
    result = await jazzer(name, info, [corpusDir, seedsDir], [], flags);
  } else if (mode === 'regression') {
    result = await jazzer(name, info, [corpusDir, seedsDir], ['--mode', 'regression'], [artifactPrefix]);
  } else if (mode === 'coverage') {
    const covDir = join(work, 'coverage', name);
    rmSync(covDir, { recursive: true, force: true });
    const flags = ['--mode', 'regression', '--coverage', '--cov_dir', covDir, '--cov_reporters', 'json'];
    result = await jazzer(name, info, [corpusDir, seedsDir], flags, [artifactPrefix]);
    const json = join(covDir, 'coverage-final.json');
    if (existsSync(json)) coverage = parserCoverage(json, join(root, 'packages', info.package), info.parser);
  } else {
    const merged = `${corpusDir}.merged`;
    rmSync(merged, { recursive: true, force: true });
    mkdirSync(merged, { recursive: true });
    result = await jazzer(name, info, [merged, corpusDir, seedsDir], [], ['-merge=1', artifactPrefix]);
    if (result.code === 0) {
      rmSync(corpusDir, { recursive: true, force: true });
      renameSync(merged, corpusDir);
    }
  }
  mkdirSync(join(work, 'logs'), { recursive: true });
  writeFileSync(join(work, 'logs', `${name}-${options.input ? 'input' : mode}.log`), result.text);
  const parsed = parseOutput(result.text);
  // Async targets sometimes end without libFuzzer's final stats: fall back to its last status line and the clock.
  if (parsed.runs === undefined) {
    const last = [...result.text.matchAll(/^#(\d+)\s/gm)].pop();
    if (last) parsed.runs = Number(last[1]);
  }
  if (parsed.execPerSec === undefined && parsed.runs !== undefined && mode === 'fuzz' && !options.input) {
    parsed.execPerSec = Math.round(parsed.runs / Math.max(1, (Date.now() - started) / 1000));
  }
  const corpusFiles = readdirSync(corpusDir).length;
  const crashed = result.code !== 0;
  // A target that dies at once, fails to load or never gets past its seeds must not pass as a quiet run.
  const early = mode === 'smoke' && !crashed ? smokeShortfall(result.text, parsed) : undefined;
  failed ||= crashed || early !== undefined;
  const row = {
    target: name,
    mode,
    exitCode: result.code,
    seconds: Math.round((Date.now() - started) / 1000),
    ...parsed,
    corpusFiles,
    coverage: coverage?.total,
    coverageFiles: coverage?.files,
    ...(early ? { shortfall: early } : {}),
  };
  if (crashed) {
    console.error(`\n!!! ${name}: exit ${result.code}; findings in ${relative(process.cwd(), findingsDir)}`);
    console.error(`    reproduce: pnpm fuzz --target ${name} --input ${parsed.artifacts[0] ?? '<file>'}`);
    if (options.quiet) console.error(lastLines(result.text, 30));
  } else if (early) {
    console.error(`\n!!! ${name}: ${early}`);
    if (options.quiet) console.error(lastLines(result.text, 30));
  }
  return row;
}

// --jobs N runs N targets at a time (the smoke run in the test suite uses 2); long runs should stay at 1.
const rows = new Map();
let nextTarget = 0;
async function worker() {
  while (nextTarget < chosen.length) {
    const name = chosen[nextTarget++];
    const row = await runTarget(name);
    if (row) rows.set(name, row);
  }
}
const jobs = Number(options.jobs ?? 1);
if (!Number.isInteger(jobs) || jobs < 1) fail('--jobs must be a positive integer');
await Promise.all(Array.from({ length: Math.min(jobs, chosen.length) }, worker));
const summary = chosen.filter((name) => rows.has(name)).map((name) => rows.get(name));

mkdirSync(work, { recursive: true });
if (mode === 'seeds') process.exit(0);
for (const file of ['summary.json', `summary-${mode}.json`]) {
  writeFileSync(join(work, file), `${JSON.stringify(summary, null, 2)}\n`);
}
console.error(
  '\ntarget                      exit    runs     exec/s   cov    ft  corpus  line coverage (parser files)',
);
for (const row of summary) {
  const pct = row.coverage ? `${row.coverage.pct.toFixed(1)}% of ${row.coverage.lines}` : '';
  console.error(
    `${row.target.padEnd(27)} ${String(row.exitCode).padStart(4)} ${String(row.runs ?? '').padStart(8)} ${String(row.execPerSec ?? '').padStart(9)} ${String(row.cov ?? '').padStart(5)} ${String(row.ft ?? '').padStart(5)} ${String(row.corpusFiles).padStart(7)}  ${pct}`,
  );
  for (const file of row.coverageFiles ?? []) {
    console.error(
      `    ${file.file}: ${file.pct.toFixed(1)}% (${file.covered}/${file.lines})${file.missing ? ` missing ${file.missing}` : ''}`,
    );
  }
}
process.exit(failed ? 1 : 0);
