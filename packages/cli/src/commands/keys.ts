/**
 * `oaklog keys`: makes key files and converts between them.
 *
 *   oaklog keys extract <log...> [--capture <file>] [--format json|wireshark] [-o <file>] [--psk <s>] [--psk-responder <s>]
 *   oaklog keys convert <file> --to json|wireshark [-o <file>]
 *
 * Diagnostics go to stderr as `<file>:<line>:<column> <severity> <CODE>: <message>`, the key file to stdout (or -o).
 * Exit 0 when everything read cleanly, 1 when an input had errors or gave no keys (what could be read is still
 * written), 2 when the command could not run (usage, unreadable file, not a capture).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import {
  CHARON_KEYS_SOURCE,
  combineKeyLogs,
  extractCharonKeys,
  formatKeysJson,
  formatWiresharkKeyTable,
  type IkeSaKeys,
  KEY_FILE_LIMITS,
  KEY_LOG_LIMITS,
  type KeyRecord,
  type LabelledKeyLog,
  parseKeysJson,
  parseWiresharkKeyTable,
} from '@oaklog/crypto';
import { readCaptureFile } from '@oaklog/pcap/node';
import { decodeLogBytes } from '@oaklog/viewlog';
import { type Command, Option } from 'commander';
import { ExitCode, UsageError } from '../errors';
import type { Output } from '../output';

/** The two key file formats. */
export type KeyFormat = 'json' | 'wireshark';
const FORMATS: readonly KeyFormat[] = ['json', 'wireshark'];

/** Options of `oaklog keys extract`. */
export interface KeysExtractOptions {
  readonly capture?: string;
  readonly format?: KeyFormat;
  readonly output?: string;
  readonly psk?: string;
  readonly pskResponder?: string;
}

/** Options of `oaklog keys convert`. */
export interface KeysConvertOptions {
  readonly to: KeyFormat;
  readonly output?: string;
}

interface Diagnostic {
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

/** A text file of at most `maxBytes`, decoded as logs are (byte-order marks, UTF-8, else windows-1252). */
async function readText(path: string, maxBytes: number): Promise<string> {
  const info = await stat(path);
  if (info.isDirectory()) throw new UsageError(`${path}: a directory, not a file`);
  if (info.size > maxBytes) throw new UsageError(`${path}: larger than ${maxBytes} bytes; not read`);
  const bytes = new Uint8Array(await readFile(path));
  if (bytes.length > maxBytes) throw new UsageError(`${path}: larger than ${maxBytes} bytes; not read`);
  return decodeLogBytes(bytes).text;
}

function report(path: string, diagnostics: readonly Diagnostic[], out: Output): boolean {
  for (const d of diagnostics) out.stderr(`${path}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  return diagnostics.some((d) => d.severity === 'error');
}

async function emit(text: string, output: string | undefined, out: Output): Promise<void> {
  if (output !== undefined) {
    await writeFile(output, text);
    return;
  }
  for (const line of text.replace(/\n$/, '').split('\n')) if (text !== '') out.stdout(line);
}

function format(sas: readonly (IkeSaKeys | KeyRecord)[], as: KeyFormat, source?: string): string {
  return as === 'json' ? formatKeysJson(sas, source === undefined ? {} : { source }) : formatWiresharkKeyTable(sas);
}

/** The initiator cookies of a capture, in the order its IKE datagrams give them. */
async function captureCookies(path: string): Promise<Uint8Array[]> {
  const cookies: Uint8Array[] = [];
  for await (const item of readCaptureFile(path))
    if (item.kind === 'ike' && item.bytes.length >= 28) cookies.push(item.bytes.slice(0, 8));
  return cookies;
}

/** `oaklog keys extract`: IKE SA keys from strongSwan charon logs (`ike = 4`), one record per SA of both ends. */
export async function keysExtractCommand(
  logs: readonly string[],
  options: KeysExtractOptions,
  out: Output,
): Promise<number> {
  let failed = false;
  const labelled: LabelledKeyLog[] = [];
  for (const path of logs) {
    const result = extractCharonKeys(await readText(path, KEY_LOG_LIMITS.maxBytes));
    if (report(path, result.diagnostics, out)) failed = true;
    labelled.push({ label: basename(path, extname(path)), ikeSas: result.ikeSas });
  }
  const cookies = options.capture === undefined ? undefined : await captureCookies(options.capture);
  const records = combineKeyLogs(labelled, {
    ...(cookies ? { captureCookies: cookies } : {}),
    ...(options.psk === undefined ? {} : { psk: options.psk }),
    ...(options.pskResponder === undefined ? {} : { pskResponder: options.pskResponder }),
  });
  if (records.length === 0) {
    const where = options.capture === undefined ? 'in the logs' : `of ${options.capture} in the logs`;
    out.stderr(`oaklog: no IKE SA with cookies and an encryption key ${where}`);
    failed = true;
  } else await emit(format(records, options.format ?? 'json', CHARON_KEYS_SOURCE), options.output, out);
  return failed ? ExitCode.INPUT_PROBLEMS : ExitCode.OK;
}

/** `oaklog keys convert`: our JSON to Wireshark's table or back (the format of the input is told by its first `{`). */
export async function keysConvertCommand(path: string, options: KeysConvertOptions, out: Output): Promise<number> {
  const text = await readText(path, KEY_FILE_LIMITS.maxBytes);
  const parse = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? parseKeysJson
    : parseWiresharkKeyTable;
  const result = parse(text);
  let failed = report(path, result.diagnostics, out);
  if (result.ikeSas.length === 0) {
    out.stderr(`oaklog: ${path}: no IKE SA keys in this file`);
    failed = true;
  } else await emit(format(result.ikeSas, options.to), options.output, out);
  return failed ? ExitCode.INPUT_PROBLEMS : ExitCode.OK;
}

function formatOption(flags: string, description: string): Option {
  return new Option(flags, description).choices(FORMATS);
}

/** Declares `oaklog keys extract` and `oaklog keys convert` on `program`; `done` receives each run's exit code. */
export function registerKeysCommands(program: Command, out: Output, done: (code: number) => void): void {
  const keys = program
    .command('keys')
    .description('make key files from IKE daemon logs, and convert between oaklog JSON and Wireshark key tables');
  keys
    .command('extract')
    .description('extract IKE SA keys from strongSwan charon logs written with "ike = 4"')
    .argument('<log...>', "charon log files (both ends' logs give both ends' Ka)")
    .option('--capture <file>', 'keep only the IKE SAs of this pcap/pcapng capture, in its order')
    .addOption(formatOption('-f, --format <format>', 'output format').default('json'))
    .option('-o, --output <file>', 'write the key file here instead of stdout')
    .option('--psk <secret>', 'record this pre-shared key in the JSON (logs never hold it)')
    .option('--psk-responder <secret>', "record the responder's pre-shared key too, when it differs")
    .action(async (logs: string[], options: KeysExtractOptions) => {
      done(await keysExtractCommand(logs, options, out));
    });
  keys
    .command('convert')
    .description('convert a key file: oaklog JSON to a Wireshark ikev1_decryption_table, or back')
    .argument('<file>', 'oaklog JSON key file or Wireshark ikev1_decryption_table')
    .addOption(formatOption('-t, --to <format>', 'output format').makeOptionMandatory())
    .option('-o, --output <file>', 'write the key file here instead of stdout')
    .action(async (path: string, options: KeysConvertOptions) => {
      done(await keysConvertCommand(path, options, out));
    });
}
