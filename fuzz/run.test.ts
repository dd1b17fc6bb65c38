/**
 * Runs every fuzz target without Jazzer.js, so a broken contract fails CI on every push:
 *   1. over its corpus seeds,
 *   2. over each saved crash input in corpus/regressions/<target>/ (one test per file),
 *   3. over fast-check inputs: arbitrary bytes, and seeds with random edits (overwrites, cuts, insertions).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from './lib/bytes';
import { type OpenIssue, openIssues, setStrict } from './lib/open-issues';
import { regressionSeeds, type Seed, seedSources } from './lib/seeds';
import { targetInfo } from './lib/targets';

/**
 * Saved inputs whose bug is still open in its package (lib/open-issues.ts): replayed strictly with `it.fails`, so
 * fixing the package flips the test.
 */
const KNOWN_OPEN: Record<string, OpenIssue> = {};

const targetsDir = join(import.meta.dirname, 'targets');
const names = readdirSync(targetsDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3))
  .sort();

type Fuzz = (data: Uint8Array) => void | Promise<void>;

async function load(name: string): Promise<Fuzz> {
  return ((await import(join(targetsDir, `${name}.ts`))) as { fuzz: Fuzz }).fuzz;
}

/** Runs the target and turns a failure into one naming the input. */
async function runOn(fuzz: Fuzz, seed: Seed): Promise<void> {
  try {
    await fuzz(seed.bytes);
  } catch (error) {
    throw new Error(`${seed.name} (${hex(seed.bytes)}): ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** A seed with a few random edits: the cheap half of what a mutation fuzzer does. */
function mutatedSeeds(seeds: readonly Seed[]): fc.Arbitrary<Uint8Array> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
  );
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([seed, edits]) => {
    let bytes = seed.bytes;
    for (const e of edits) {
      const at = bytes.length === 0 ? 0 : e.at % bytes.length;
      if (e.kind === 'set') {
        if (bytes.length > 0) {
          bytes = bytes.slice();
          bytes[at] = e.byte;
        }
      } else if (e.kind === 'cut') {
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + e.length)]);
      } else {
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...e.bytes, ...bytes.subarray(at)]);
      }
    }
    return bytes;
  });
}

it('every target file has metadata, and every metadata entry a file', async () => {
  const { targets } = await import('./lib/targets');
  expect(names.filter((name) => !targetInfo(name))).toEqual([]);
  expect(Object.keys(targets).sort()).toEqual(names);
});

describe.each(names)('fuzz target %s', (name) => {
  const info = targetInfo(name);
  const seeds = info ? seedSources[info.seeds]() : [];
  const regressions = regressionSeeds(name);

  it('holds its contract on every corpus seed', async () => {
    const fuzz = await load(name);
    for (const seed of seeds) await runOn(fuzz, seed);
  });

  for (const regression of regressions) {
    const issue = KNOWN_OPEN[regression.name];
    (issue ? it.fails : it)(`replays ${regression.name}${issue ? ` (open: ${openIssues[issue]})` : ''}`, async () => {
      const fuzz = await load(name);
      setStrict(true);
      try {
        await runOn(fuzz, regression);
      } finally {
        setStrict(false);
      }
    });
  }

  it('holds its contract on arbitrary bytes', async () => {
    const fuzz = await load(name);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (data) => fuzz(data)),
      { numRuns: 2000 },
    );
  });

  it.runIf(seeds.length > 0)('holds its contract on edited seeds', async () => {
    const fuzz = await load(name);
    await fc.assert(
      fc.asyncProperty(mutatedSeeds(seeds), async (data) => fuzz(data)),
      { numRuns: 1000 },
    );
  });
});
