import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// @oaklog/common is private and never published: every package that uses it must bundle it, code and types, or
// what users install imports a package they cannot get. The other workspaces (corpus, fuzz) are private too.
// This reads what each published package ships (their builds run before this suite) for an import of any of them.

const packagesRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspaceRoot = join(packagesRoot, '..');

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const packageDirs = readdirSync(packagesRoot).map((dir) => join(packagesRoot, dir));
const publishedDirs = packageDirs.filter((dir) => manifest(dir).private !== true);
const privateNames = [...packageDirs, join(workspaceRoot, 'corpus'), join(workspaceRoot, 'fuzz')]
  .map(manifest)
  .filter((m) => m.private === true)
  .map((m) => m.name);

const shipped = (dir: string) =>
  readdirSync(join(dir, 'dist'))
    .filter((file) => /\.(c?js|d\.c?ts)$/.test(file))
    .map((file) => join(dir, 'dist', file));

describe('what the published packages ship', () => {
  it('knows the private workspace packages', () => {
    expect(privateNames).toContain('@oaklog/common');
  });

  it.each(publishedDirs.map((dir) => [manifest(dir).name, dir]))('%s imports no private package', (_, dir) => {
    const files = shipped(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // An import, export-from, require or dynamic import naming the package or one of its subpaths.
      for (const name of privateNames)
        expect(text, file).not.toMatch(new RegExp(`(?:from|import|require)\\s*\\(?\\s*['"]${name}(?:/[^'"]*)?['"]`));
    }
  });
});
