import { CaptureError } from '@oaklog/pcap';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import type { CaptureOptions } from './commands/capture';
import { type DecodeCommandOptions, decodeCommand } from './commands/decode';
import { diagnoseCommand } from './commands/diagnose';
import { registerKeysCommands } from './commands/keys';
import { registerSynthCommand } from './commands/synth';
import { type ViewCommandOptions, viewCommand } from './commands/view';
import { checkCommand, explainCommand, type LogCommandOptions } from './commands/viewlog';
import { ExitCode, UsageError } from './errors';
import { parseCount, parseExchange, parseFrames, parseMessageId, type RecordFilter } from './filters';
import { endProgress, reportProgress } from './input';
import { type Output, terminalSafe } from './output';
import { parseTimeZone, parseUtcOffset, timeOptionsOf } from './time';

export { describeMessage, describePayload } from './commands/decode';
export type { Output } from './output';

/** The oaklog version, for `oaklog --version`. */
export const VERSION: string = packageJson.version;

/**
 * A cookie filter: 16 hex digits (one cookie), 32 (the pair), or fewer (a prefix of the initiator cookie), spaces and
 * colons allowed as tshark prints them.
 */
function parseCookie(value: string): string {
  const digits = value.toLowerCase().replace(/[\s:]/g, '');
  if (!/^[0-9a-f]{1,32}$/.test(digits))
    throw new InvalidArgumentError('expected 1 to 32 hex digits (an initiator cookie prefix, a cookie, or the pair)');
  return digits;
}

/** True for errors Node's file system calls raise (ENOENT, EISDIR, EACCES, ...). */
function isSystemError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code);
}

/**
 * Reports an error that means the input cannot be read or the command line is wrong (exit 2) on stderr, and says
 * whether it was one; anything else is a bug and goes on up.
 */
function cannotRun(error: unknown, out: Output): boolean {
  if (error instanceof UsageError || isSystemError(error)) {
    out.stderr(`oaklog: ${error.message}`);
    return true;
  }
  if (error instanceof CaptureError) {
    // IO_ERROR is the file system's refusal (missing file, a directory); the rest say the bytes are not a capture.
    out.stderr(`oaklog: ${error.code === 'IO_ERROR' ? '' : 'not a readable pcap/pcapng capture: '}${error.message}`);
    return true;
  }
  return false;
}

/**
 * Runs `command` on each input in turn, as `tail` and `grep` take several files: one that cannot be read is reported
 * (exit 2) and the others still run; the exit code is the worst of them. stdin (`-`) can be read once only. With
 * `heading`, each input's output starts with `==> name <==` when there are several.
 */
async function eachInput(
  paths: readonly string[],
  out: Output,
  command: (path: string) => Promise<number>,
  heading?: (path: string) => void,
): Promise<number> {
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('- (stdin) can be given once only');
  let worst = 0;
  for (const path of paths) {
    if (paths.length > 1 && heading !== undefined) heading(path);
    try {
      worst = Math.max(worst, await command(path));
    } catch (error) {
      if (paths.length === 1 || !cannotRun(error, out)) throw error;
      worst = ExitCode.CANNOT_RUN;
    }
  }
  return worst;
}

/** The options of every command that reads a capture (`view`, `diagnose`), as commander gives them. */
interface CaptureCliOptions {
  keys?: string | false;
  local?: string;
  peer?: string;
  cookie?: string;
  connection?: string;
}

interface ViewCliOptions extends CaptureCliOptions, FilterCliOptions {
  utcOffset?: number;
  tz?: string;
  crlf?: boolean;
  json?: boolean;
  strict?: boolean;
}

/** The filters `decode` and `view` share beyond `--peer` and `--cookie`, as commander gives them. */
interface FilterCliOptions {
  exchange?: number;
  frames?: [number, number];
  count?: number;
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
    .option('--connection <name>', "connection name on every line (default: each conversation's peer address)")
    .option('--peer <address>', 'only the conversations with this peer address')
    .option(
      '--cookie <hex>',
      'only the conversations of this initiator cookie prefix, initiator or responder cookie (16 hex digits), or pair (32)',
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
    ...fromFilterCli(cli),
    time: timeOptionsOf(cli),
    ...(cli.crlf ? { crlf: true } : {}),
    ...(cli.json ? { json: true } : {}),
    ...(cli.strict ? { strict: true } : {}),
  };
}

function fromFilterCli(cli: FilterCliOptions): RecordFilter {
  return {
    ...(cli.exchange === undefined ? {} : { exchange: cli.exchange }),
    ...(cli.frames === undefined ? {} : { frames: cli.frames }),
    ...(cli.count === undefined ? {} : { count: cli.count }),
  };
}

/** Declares `--exchange`, `--frames` and `-c/--count` (decode and view). */
function filterOptions(command: Command): Command {
  return command
    .option('--exchange <type>', 'only this exchange: MM, AG, QM, INFO, TRANS or a type number', parseExchange)
    .option('--frames <range>', 'only these capture frames: 10-20, 10-, -20 or 12', parseFrames)
    .option('-c, --count <n>', 'stop listing after n records', parseCount);
}

/** Declares the time options (`view`, `decode`). */
function timeOptions(command: Command): Command {
  return command
    .option('--utc-offset <offset>', 'fixed offset east of UTC for times: +05:30, -0800, or minutes', parseUtcOffset)
    .option(
      '--tz <zone>',
      'IANA time zone for times (daylight saving per timestamp), e.g. Europe/Berlin',
      parseTimeZone,
    );
}

/** The help text after a command: examples, then the exit codes. */
function helpAfter(examples: readonly string[], exits: readonly string[] = EXIT_HELP): string {
  return ['', 'Examples:', ...examples.map((e) => `  ${e}`), '', 'Exit codes:', ...exits.map((e) => `  ${e}`)].join(
    '\n',
  );
}

const EXIT_HELP = [
  '0  success (for diagnose: every phase established)',
  '1  the input had problems (malformed frames, undecodable datagrams, log errors,',
  '   messages a given key did not decrypt), or a phase failed (diagnose; others with --strict)',
  '2  usage error, or input that cannot be read (missing file, binary data, bad key file)',
];

interface DecodeCliOptions extends FilterCliOptions {
  all?: boolean;
  keys?: string;
  verbose?: boolean;
  json?: boolean;
  peer?: string;
  cookie?: string;
  messageId?: number;
  utcOffset?: number;
  tz?: string;
}

function decodeOptions(cli: DecodeCliOptions): DecodeCommandOptions {
  return {
    ...fromFilterCli(cli),
    ...(cli.all ? { all: true } : {}),
    ...(cli.keys === undefined ? {} : { keys: cli.keys }),
    ...(cli.verbose ? { verbose: true } : {}),
    ...(cli.json ? { json: true } : {}),
    ...(cli.peer === undefined ? {} : { peer: cli.peer }),
    ...(cli.cookie === undefined ? {} : { cookie: cli.cookie }),
    ...(cli.messageId === undefined ? {} : { messageId: cli.messageId }),
    time: timeOptionsOf(cli),
  };
}

/** The commands that read View Logs: name, help line, implementation, examples. */
const LOG_COMMANDS: readonly (readonly [
  string,
  string,
  (path: string, options: LogCommandOptions, out: Output) => Promise<number>,
  readonly string[],
])[] = [
  [
    'check',
    'parse View Logs and print every diagnostic with its line and column',
    checkCommand,
    ['oaklog check vpnclient.log', 'oaklog check --json a.log b.log | jq .line', 'cat vpnclient.log | oaklog check -'],
  ],
  [
    'explain',
    'print each View Log line with what it means',
    explainCommand,
    ['oaklog explain vpnclient.log', 'oaklog explain --json vpnclient.log', 'oaklog explain --strict - < x.log'],
  ],
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
    .addHelpText(
      'after',
      helpAfter([
        'oaklog view capture.pcapng > vpnclient.log',
        'oaklog decode --keys keys.json capture.pcap',
        'oaklog diagnose capture.pcap',
        'oaklog check --json vpnclient.log',
        "Run oaklog <command> --help for each command's options.",
      ]),
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.stdout(s.trimEnd()), writeErr: (s) => out.stderr(s.trimEnd()) });
  timeOptions(
    filterOptions(
      captureOptions(
        program
          .command('view')
          .description('render a pcap/pcapng capture as the VPN client View Log, decrypting with keys when it has them')
          .argument('<captures...>', 'pcap or pcapng files, or - for stdin; several are rendered one after another'),
      ),
    ),
  )
    .option('--crlf', 'CRLF line endings, as the Windows clients wrote')
    .option('--json', 'NDJSON on stdout: one object per event, then a summary (schema oaklog.view/1)')
    .option('--strict', 'exit 1 when a phase failed, as diagnose does')
    .addHelpText(
      'after',
      helpAfter([
        'oaklog view capture.pcapng > vpnclient.log',
        'oaklog view --keys keys.json --peer 192.0.2.2 --exchange QM capture.pcap',
        'oaklog view monday.pcap tuesday.pcapng > week.log',
        'tcpdump -w - udp port 500 | oaklog view -',
        'oaklog view --tz Europe/Berlin --json capture.pcap | jq -r .lines[]',
      ]),
    )
    .action(async (paths: string[], options: ViewCliOptions) => {
      exitCode = await eachInput(paths, out, (path) => viewCommand(path, viewOptions(options), out));
    });
  timeOptions(
    filterOptions(
      program
        .command('decode')
        .description('decode every IKE datagram of a pcap/pcapng capture, one line each, then account for every frame')
        .argument('<captures...>', 'pcap or pcapng files, or - for stdin'),
    ),
  )
    .option('-a, --all', 'also list frames that are not IKE')
    .option(
      '-k, --keys <file>',
      'key file (oaklog JSON or Wireshark ikev1_decryption_table): decrypt, show every field',
    )
    .option('-V, --verbose', 'every field as an indented tree under each line (the default with --keys)')
    .option('--json', 'NDJSON on stdout: one object per frame, then a summary (schema oaklog.decode/1)')
    .option('--peer <address>', 'only the conversations with this peer address')
    .option(
      '--cookie <hex>',
      'only the conversations of this initiator cookie prefix (or cookie, or pair)',
      parseCookie,
    )
    .option('--message-id <hex>', 'only messages with this message ID', parseMessageId)
    .addHelpText(
      'after',
      helpAfter([
        'oaklog decode capture.pcap',
        'oaklog decode --keys keys.json --exchange QM capture.pcap',
        'oaklog decode --json --keys ikev1_decryption_table capture.pcap | jq .plaintext',
        'oaklog decode --cookie 5abc90 --frames 10-20 -c 5 -',
      ]),
    )
    .action(async (paths: string[], options: DecodeCliOptions) => {
      exitCode = await eachInput(
        paths,
        out,
        (path) => decodeCommand(path, decodeOptions(options), out),
        options.json ? undefined : (path) => out.stdout(`==> ${path} <==`),
      );
    });
  for (const [name, description, command, examples] of LOG_COMMANDS)
    program
      .command(name)
      .description(description)
      .argument('<logs...>', 'View Log text files, or - for stdin')
      .option('--json', `NDJSON on stdout (schema oaklog.${name}/1)`)
      .option('--strict', 'exit 1 when a phase failed, as diagnose does')
      .addHelpText('after', helpAfter(examples))
      .action(async (paths: string[], options: LogCommandOptions) => {
        exitCode = await eachInput(
          paths,
          out,
          (path) => command(path, options, out),
          options.json ? undefined : (path) => out.stdout(`==> ${path} <==`),
        );
      });
  captureOptions(
    program
      .command('diagnose')
      .description('say how each connection and phase of a capture or a View Log ended, why, and what to check next')
      .argument(
        '<captures|logs...>',
        'pcap or pcapng files (told by their magic number), else View Log text files; - for stdin',
      ),
  )
    .option('--json', 'NDJSON on stdout: notes, then one object per diagnosis (schema oaklog.diagnose/1)')
    .addHelpText(
      'after',
      [
        '',
        'A capture is read as `oaklog view` reads it, with the same key discovery and',
        'options; its evidence names the capture frame each line came from ("end of',
        'capture" for lines written when the capture ends). A View Log takes none of',
        'the options; its evidence names lines.',
        helpAfter([
          'oaklog diagnose vpnclient.log',
          'oaklog diagnose client.pcap gateway.log',
          'oaklog diagnose --keys keys.json capture.pcap',
          'oaklog diagnose --json - < capture.pcap | jq .outcome',
        ]),
      ].join('\n'),
    )
    .action(async (paths: string[], options: CaptureCliOptions & { json?: boolean }) => {
      exitCode = await eachInput(
        paths,
        out,
        (path) => diagnoseCommand(path, fromCaptureCli(options), out, options.json ? { json: true } : {}),
        options.json ? undefined : (path) => out.stdout(`==> ${path} <==`),
      );
    });
  // oaklog keys extract | convert (commands/keys.ts)
  registerKeysCommands(program, out, (code) => {
    exitCode = code;
  });
  registerSynthCommand(program, out, (code) => {
    exitCode = code;
  });
  program.showHelpAfterError('(run oaklog --help for usage)');
  if (args.length === 0) {
    program.outputHelp({ error: true });
    return ExitCode.CANNOT_RUN;
  }
  reportProgress(output.progress);
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    // Help and version exit 0 through commander; every other parse error is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.OK : ExitCode.CANNOT_RUN;
    if (cannotRun(error, out)) return ExitCode.CANNOT_RUN;
    throw error;
  } finally {
    endProgress();
    // Lines are batched (see `createStreamOutput`): what is left goes out before the command is over.
    await output.flush?.();
  }
  return exitCode;
}
