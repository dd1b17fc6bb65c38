import { Command, CommanderError } from 'commander';
import { decodeCommand } from './commands/decode';
import { type ViewCommandOptions, viewCommand } from './commands/view';
import { checkCommand, diagnoseCommand, explainCommand } from './commands/viewlog';
import type { Output } from './output';

export { describeMessage, describePayload } from './commands/decode';
export type { Output } from './output';

/** The oaklog version, for `oaklog --version`. */
export const VERSION = '0.0.0';

interface ViewCliOptions {
  keys?: string | false;
  local?: string;
  connection?: string;
  utcOffset?: number;
  crlf?: boolean;
}

function viewOptions(cli: ViewCliOptions): ViewCommandOptions {
  return {
    ...(typeof cli.keys === 'string' ? { keys: cli.keys } : {}),
    ...(cli.keys === false ? { noKeys: true } : {}),
    ...(cli.local === undefined ? {} : { local: cli.local }),
    ...(cli.connection === undefined ? {} : { connection: cli.connection }),
    ...(cli.utcOffset === undefined || Number.isNaN(cli.utcOffset) ? {} : { utcOffset: cli.utcOffset }),
    ...(cli.crlf ? { crlf: true } : {}),
  };
}

/** Runs the command line with `args` (without `node` and the script) and returns the exit code. */
export async function run(args: readonly string[], out: Output): Promise<number> {
  let exitCode = 0;
  const program = new Command('oaklog')
    .description('Read IKEv1/IPsec negotiations from captures and VPN client View Logs.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.stdout(s.trimEnd()), writeErr: (s) => out.stderr(s.trimEnd()) });
  program
    .command('view')
    .description('render a pcap/pcapng capture as the VPN client View Log, decrypting with keys when it has them')
    .argument('<capture>', 'pcap or pcapng file')
    .option(
      '-k, --keys <file>',
      'key file: oaklog JSON or Wireshark ikev1_decryption_table (default: one next to the capture)',
    )
    .option('--no-keys', 'do not decrypt, even when a key file lies next to the capture')
    .option('-l, --local <address>', 'our address (default: the sender of the first datagram)')
    .option('-c, --connection <name>', 'connection name on every line (default: the peer address)')
    .option('--utc-offset <minutes>', 'minutes east of UTC for the printed times', (v) => Number.parseInt(v, 10))
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
  program
    .command('check')
    .description('parse a View Log and print every diagnostic with its line and column')
    .argument('<log>', 'View Log text file')
    .action(async (path: string) => {
      exitCode = await checkCommand(path, out);
    });
  program
    .command('explain')
    .description('print each View Log line with what it means')
    .argument('<log>', 'View Log text file')
    .action(async (path: string) => {
      exitCode = await explainCommand(path, out);
    });
  program
    .command('diagnose')
    .description('say how each connection and phase of a View Log ended, why, and what to check next')
    .argument('<log>', 'View Log text file')
    .action(async (path: string) => {
      exitCode = await diagnoseCommand(path, out);
    });
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E')) {
      out.stderr(`oaklog: ${error.message}`);
      return 2;
    }
    throw error;
  }
  return exitCode;
}
