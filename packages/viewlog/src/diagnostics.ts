import type { LineIndex } from './line-index';
import type { Diagnostic } from './types';

/** Every diagnostic code, with its severity and what it means. */
export const DiagnosticCodes = {
  UNKNOWN_LINE: {
    severity: 'warning',
    summary: 'no grammar rule reads this line; it is kept verbatim as an unknown event',
  },
  CLIPPED_LINE: { severity: 'warning', summary: 'the line ends in the middle of a construct (cut off when pasted)' },
  WRAPPED_LINE: {
    severity: 'warning',
    summary: 'a line cut off (wrapped at a fixed width when pasted) continues on the next line: both read as one event',
  },
  SPACING: { severity: 'warning', summary: 'whitespace is missing or added where the client writes it differently' },
  NOT_CANONICAL: {
    severity: 'warning',
    summary: 'a field reads, but the client would have written it differently (zero padding, order of parts)',
  },
  BAD_IKE_MESSAGE: { severity: 'error', summary: 'an `ISAKMP OAK` message line breaks the grammar at this column' },
  UNKNOWN_EXCHANGE: { severity: 'warning', summary: 'an exchange abbreviation the name table does not know' },
  UNKNOWN_PAYLOAD: { severity: 'warning', summary: 'a payload word the name table does not know' },
  UNKNOWN_NOTIFY: { severity: 'warning', summary: 'a notify name the name table does not know' },
  BAD_VALUE: {
    severity: 'error',
    summary: 'a field holds a value that cannot be read (cookie length, hex, number range)',
  },
  ORPHAN_CONTINUATION: {
    severity: 'warning',
    summary: 'a MY/HIS COOKIE or Initiator/Responder line without the line it continues',
  },
  INCOMPLETE_EVENT: {
    severity: 'warning',
    summary: 'a multi-line construct misses a part (cookie or client ID line)',
  },
} as const satisfies Record<string, { severity: 'error' | 'warning'; summary: string }>;

/** A diagnostic code. */
export type DiagnosticCode = keyof typeof DiagnosticCodes;

/** Builds a diagnostic at a line-relative position (streaming knows the line's start offset, not the whole text). */
export function makeDiagnostic(
  code: DiagnosticCode,
  message: string,
  line: number,
  lineStart: number,
  indexInLine: number,
  length = 0,
): Diagnostic {
  return {
    code,
    severity: DiagnosticCodes[code].severity,
    message,
    offset: lineStart + indexInLine,
    length,
    line,
    column: indexInLine + 1,
  };
}

/**
 * Prints a diagnostic as `line:column severity CODE message`, then the source line and a caret under the spot
 * (tabs kept so the caret lines up).
 */
export function formatDiagnostic(text: string, d: Diagnostic, index?: LineIndex): string {
  const lineStart = index ? index.lineStart(d.line) : startOfLine(text, d.offset);
  let lineEnd = lineStart;
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  const lineText = text.slice(lineStart, lineEnd);
  const col = Math.max(0, Math.min(d.column - 1, lineText.length));
  // `column` counts UTF-16 units; the caret line counts characters (code points), so it sits under the spot even after
  // a character outside the Basic Multilingual Plane.
  // A byte-order mark takes no room on screen.
  const pad = Array.from(lineText.slice(0, col), (c) => (c === '\t' ? '\t' : c === '\uFEFF' ? '' : ' ')).join('');
  const covered = Array.from(lineText.slice(col, col + Math.max(0, d.length))).length;
  const marks = '^'.repeat(Math.max(1, covered));
  return `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n${lineText}\n${pad}${marks}`;
}

function startOfLine(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}
