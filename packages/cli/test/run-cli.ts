import { type Output, run } from '../src/index';

/** What one in-process run of the command line printed, line by line, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

/** Runs `oaklog ...args` in this process, capturing both streams (what every CLI test file needs). */
export async function oaklog(...args: string[]): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: Output = { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) };
  const code = await run(args, out);
  return { code, stdout, stderr };
}
