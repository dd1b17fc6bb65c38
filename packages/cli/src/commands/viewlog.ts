import { readFile } from 'node:fs/promises';
import { decodeLogBytes, diagnose, explain, formatDiagnostic, parse } from '@oaklog/viewlog';
import { UsageError } from '../errors';
import type { Output } from '../output';

/** First four bytes of pcap (either byte order, µs or ns) and pcapng files. */
const CAPTURE_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a];

/** Reads a log in whatever encoding the client or editor wrote it (UTF-8, UTF-16 with a BOM, or Windows-1252). */
async function readLog(path: string): Promise<string> {
  const bytes = new Uint8Array(await readFile(path));
  const magic = bytes.length >= 4 ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) : -1;
  if (CAPTURE_MAGICS.includes(magic))
    throw new UsageError(`${path} looks like a packet capture, not a log: use oaklog view ${path}`);
  return decodeLogBytes(bytes).text;
}

/** `oaklog check <log>`: parse a View Log and print every diagnostic with a caret under the spot. */
export async function checkCommand(path: string, out: Output): Promise<number> {
  const text = await readLog(path);
  const { events, diagnostics } = parse(text);
  for (const diagnostic of diagnostics) out.stdout(formatDiagnostic(text, diagnostic));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  out.stdout(`${events.length} events, ${errors} errors, ${diagnostics.length - errors} warnings`);
  return errors > 0 ? 1 : 0;
}

/** `oaklog explain <log>`: each line of the log followed by what it means. */
export async function explainCommand(path: string, out: Output): Promise<number> {
  const { events } = parse(await readLog(path));
  for (const event of events) {
    const meaning = explain(event);
    const line = event.source ? String(event.source.line).padStart(5) : '     ';
    out.stdout(`${line}  ${(event.source?.raw ?? '').replace(/\r?\n$|\r$/, '')}`);
    if (meaning) out.stdout(`       ${meaning}`);
  }
  return 0;
}

/** `oaklog diagnose <log>`: the outcome of each connection and phase, with evidence and the next step. */
export async function diagnoseCommand(path: string, out: Output): Promise<number> {
  const { events } = parse(await readLog(path));
  const diagnoses = diagnose(events);
  for (const diagnosis of diagnoses) {
    const who = diagnosis.connection ?? diagnosis.peer ?? '(unnamed connection)';
    out.stdout(`${who} phase ${diagnosis.phase}: ${diagnosis.outcome}${diagnosis.implied ? ' (implied)' : ''}`);
    out.stdout(`  ${diagnosis.summary}`);
    for (const evidence of diagnosis.evidence) out.stdout(`  line ${evidence.line}: ${evidence.text}`);
    out.stdout(`  next step: ${diagnosis.nextStep}`);
  }
  if (diagnoses.length === 0) out.stdout('no IKE negotiation found in this log');
  return 0;
}
