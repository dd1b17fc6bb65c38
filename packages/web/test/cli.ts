/** Runs the built `oaklog` command line, as a user would: the page is held to what it prints. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI_MAIN = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));

/** stdout and stderr lines of `oaklog ...args` (any exit code: a capture with problems exits 1). */
export function oaklog(...args: string[]): { stdout: string[]; stderr: string[]; status: number } {
  if (!existsSync(CLI_MAIN))
    throw new Error(`${CLI_MAIN} is missing: build the CLI first (turbo builds it before these tests)`);
  const run = spawnSync(process.execPath, [CLI_MAIN, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw run.error;
  const lines = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
  return { stdout: lines(run.stdout), stderr: lines(run.stderr), status: run.status ?? -1 };
}
