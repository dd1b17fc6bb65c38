/**
 * `oaklog synth SCENARIO.json [--out DIR]`: plays both peers of the scenario (`@oaklog/synth`) and writes what the
 * corpus keeps for a capture: capture.pcap, keys.json, ikev1_decryption_table (Wireshark's file name, so
 * `WIRESHARK_CONFIG_DIR=DIR tshark -r DIR/capture.pcap` decrypts it) and expected.log, the client's View Log. No key
 * files when no Diffie-Hellman values went on the wire (a silent peer, phase 1 refused).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ScenarioError, synthesize } from '@oaklog/synth';
import type { Command } from 'commander';
import { ExitCode } from '../errors';
import type { Output } from '../output';
import { datagramCount } from './capture';

/** Options of `oaklog synth`. */
export interface SynthCommandOptions {
  /** Folder to write the four files to (made when missing). Default: the current folder. */
  readonly out?: string;
}

/** Runs `oaklog synth`; returns the exit code. */
export async function synthCommand(path: string, options: SynthCommandOptions, out: Output): Promise<number> {
  let scenario: unknown;
  try {
    scenario = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    out.stderr(`oaklog: ${path}: ${(e as Error).message}`);
    return ExitCode.CANNOT_RUN;
  }
  let made: ReturnType<typeof synthesize>;
  try {
    made = synthesize(scenario);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    out.stderr(`oaklog: ${path}: ${e.message}`);
    return ExitCode.CANNOT_RUN;
  }
  const dir = options.out ?? '.';
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'capture.pcap'), made.capture);
  if (made.keys !== undefined) {
    await writeFile(join(dir, 'keys.json'), made.keys.json);
    await writeFile(join(dir, 'ikev1_decryption_table'), made.keys.wiresharkTable);
  }
  await writeFile(join(dir, 'expected.log'), made.expectedLog);
  out.stdout(
    `${join(dir, 'capture.pcap')}: ${datagramCount(made.frames.length)}; ${made.keys === undefined ? 'no keys (no Diffie-Hellman exchange on the wire)' : 'keys.json, ikev1_decryption_table'}, expected.log`,
  );
  return ExitCode.OK;
}

/** Adds `oaklog synth` to the program. */
export function registerSynthCommand(program: Command, out: Output, done: (code: number) => void): void {
  program
    .command('synth')
    .description('synthesize a capture, its keys and the expected View Log from a scenario (see @oaklog/synth)')
    .argument('<scenario>', 'scenario JSON file')
    .option('--out <dir>', 'write capture.pcap, keys.json, ikev1_decryption_table and expected.log here (default: .)')
    .action(async (path: string, options: SynthCommandOptions) => {
      done(await synthCommand(path, options, out));
    });
}
