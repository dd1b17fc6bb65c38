import { CaptureError } from '@oaklog/pcap';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import type { CaptureOptions } from './commands/capture';
import { decodeCommand } from './commands/decode';
import { diagnoseCommand } from './commands/diagnose';
import { registerKeysCommands } from './commands/keys';
import { type ViewCommandOptions, viewCommand } from './commands/view';
import { checkCommand, explainCommand } from './commands/viewlog';
import { ExitCode, UsageError } from './errors';
import { type Output, terminalSafe } from './output';

export { describeMessage, describePayload } from './commands/decode';
export type { Output } from './output';

/** The oaklog version, for `oaklog --version`. */
export const VERSION: string = packageJson.version;

/** Minutes east of UTC: whole minutes within a day either way. */
function parseUtcOffset(value: string): number {
  const minutes = Number(value);
  if (!/^[+-]?\d+$/.test(value.trim()) || Math.abs(minutes) > 24 * 60)
    throw new InvalidArgumentError('expected whole minutes between -1440 and 1440');
  return minutes;
}

/** A cookie filter: 16 hex digits (one cookie) or 32 (the pair), spaces and colons allowed as tshark prints them. */
function parseCookie(value: string): string {
  const digits = value.toLowerCase().replace(/[\s:]/g, '');
  if (!/^(?:[0-9a-f]{16}|[0-9a-f]{32})$/.test(digits)) throw new InvalidArgumentError('expected 16 or 32 hex digits');
  return digits;
}

/** True for errors Node's file system calls raise (ENOENT, EISDIR, EACCES, ...). */
function isSystemError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code);
}

/** The options of every command that reads a capture (`view`, `diagnose`), as commander gives them. */
interface CaptureCliOptions {
  keys?: string | false;
  local?: string;
  peer?: string;
  cookie?: string;
  connection?: string;
}

interface ViewCliOptions extends CaptureCliOptions {
  utcOffset?: number;
  crlf?: boolean;
}

/** Declares the options of a command that reads a capture through the pipeline: the same for `view` and `diagnose`. */
function captureOptions(command: Command): Command {
  return command
    .option(
      '-k, --keys <file>',
      'key file: oaklog JSON or Wireshark ikev1_decryption_table (default: one next to the capture)',
    )
    .option('--no-keys', 'do not decrypt, even when a key file lies next to the capture')
    .option('-l, --local <address>', "our address (default: each IKE SA's initiator, the VPN client's side)")
    .option('-c, --connection <name>', "connection name on every line (default: each conversation's peer address)")
    .option('--peer <address>', 'only the conversations with this peer address')
    .option(
      '--cookie <hex>',
      'only the conversations of this initiator or responder cookie (16 hex digits, or 32 for the pair)',
      parseCookie,
    );
}

/** The capture options commander parsed, as the commands take them. */
function fromCaptureCli(cli: CaptureCliOptions): CaptureOptions {
  return {
    ...(typeof cli.keys === 'string' ? { keys: cli.keys } : {}),
    ...(cli.keys === false ? { noKeys: true } : {}),
    ...(cli.local === undefined ? {} : { local: cli.local }),
    ...(cli.peer === undefined ? {} : { peer: cli.peer }),
    ...(cli.cookie === undefined ? {} : { cookie: cli.cookie }),
    ...(cli.connection === undefined ? {} : { connection: cli.connection }),
  };
}

function viewOptions(cli: ViewCliOptions): ViewCommandOptions {
  return {
    ...fromCaptureCli(cli),
    ...(cli.utcOffset === undefined ? {} : { utcOffset: cli.utcOffset }),
    ...(cli.crlf ? { crlf: true } : {}),
  };
}

/** The commands that read one View Log: name, help line, implementation. */
const LOG_COMMANDS: readonly (readonly [string, string, (path: string, out: Output) => Promise<number>])[] = [
  ['check', 'parse a View Log and print every diagnostic with its line and column', checkCommand],
  ['explain', 'print each View Log line with what it means', explainCommand],
];

/**
 * Runs the command line with `args` (without `node` and the script) and returns the exit code. Every line written to
 * `output` has its control characters made visible first (see `visibleControls`).
 */
export async function run(args: readonly string[], output: Output): Promise<number> {
  const out = terminalSafe(output);
  let exitCode = 0;
  const program = new Command('oaklog')
    .description('Read IKEv1/IPsec negotiations from captures and VPN client View Logs.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.stdout(s.trimEnd()), writeErr: (s) => out.stderr(s.trimEnd()) });
  captureOptions(
    program
      .command('view')
      .description('render a pcap/pcapng capture as the VPN client View Log, decrypting with keys when it has them')
      .argument('<capture>', 'pcap or pcapng file'),
  )
    .option('--utc-offset <minutes>', 'minutes east of UTC for the printed times', parseUtcOffset)
    .option('--crlf', 'CRLF line endings, as the Windows clients wrote')
    .action(async (path: string, options: ViewCliOptions) => {
      exitCode = await viewCommand(path, viewOptions(options), out);
    });
  program
    .command('decode')
    .description('decode every IKE datagram of a pcap/pcapng capture, one line each, then account for every frame')
    .argument('<capture>', 'pcap or pcapng file')
    .option('-a, --all', 'also list frames that are not IKE')
    .action(async (path: string, options: { all?: boolean }) => {
      exitCode = await decodeCommand(path, options.all ? { all: true } : {}, out);
    });
  for (const [name, description, command] of LOG_COMMANDS)
    program
      .command(name)
      .description(description)
      .argument('<log>', 'View Log text file')
      .action(async (path: string) => {
        exitCode = await command(path, out);
      });
  captureOptions(
    program
      .command('diagnose')
      .description('say how each connection and phase of a capture or a View Log ended, why, and what to check next')
      .argument('<capture|log>', 'pcap or pcapng file (told by its magic number), else View Log text file'),
  )
    .addHelpText(
      'after',
      [
        '',
        'A capture is read as `oaklog view` reads it, with the same key discovery and',
        'options; its evidence names the capture frame each line came from ("end of',
        'capture" for lines written when the capture ends). A View Log takes none of',
        'the options; its evidence names lines.',
      ].join('\n'),
    )
    .action(async (path: string, options: CaptureCliOptions) => {
      exitCode = await diagnoseCommand(path, fromCaptureCli(options), out);
    });
  // oaklog keys extract | convert (commands/keys.ts)
  registerKeysCommands(program, out, (code) => {
    exitCode = code;
  });
  program.showHelpAfterError('(run oaklog --help for usage)');
  if (args.length === 0) {
    program.outputHelp({ error: true });
    return ExitCode.CANNOT_RUN;
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    // Help and version exit 0 through commander; every other parse error is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.OK : ExitCode.CANNOT_RUN;
    if (error instanceof UsageError || isSystemError(error)) {
      out.stderr(`oaklog: ${error.message}`);
      return ExitCode.CANNOT_RUN;
    }
    if (error instanceof CaptureError) {
      // IO_ERROR is the file system's refusal (missing file, a directory); the rest say the bytes are not a capture.
      out.stderr(`oaklog: ${error.code === 'IO_ERROR' ? '' : 'not a readable pcap/pcapng capture: '}${error.message}`);
      return ExitCode.CANNOT_RUN;
    }
    throw error;
  }
  return exitCode;
}
