/** The canonical check: does a typed line read as the client would have written its fields? */
import { makeDiagnostic } from './diagnostics';
import { canonicalLines, hexUpper, linesOf } from './format';
import { detached, type Line } from './lines';
import type { Diagnostic, LinePrefix, LogEvent } from './types';

/** The part `[from, to)` of a line an event was read from (a run-on line or a record head holds several). */
export interface LinePart {
  readonly from: number;
  readonly to: number;
}

/**
 * Message texts (what follows a line's time and connection) already seen to print exactly as the client prints them.
 * A line's canonical text is its canonical prefix followed by its message's, and the message's depends on the message
 * text alone (the same text reads as the same fields), so a message text seen canonical behind a canonical prefix is
 * canonical behind any: the check then prints the short prefix, not the whole line. One per parser, bounded.
 */
export type CanonicalMessages = Set<string>;

/** Message texts a {@link CanonicalMessages} keeps: a log's vocabulary is small, and a flood of unique ones is not. */
const MAX_CANONICAL_MESSAGES = 4096;

/**
 * The length of `linePrefix(e)` when `text` starts with it, else -1: compared piece by piece, since building the
 * prefix to compare it cost more than the rest of the check.
 */
export function canonicalPrefixLength(e: LinePrefix, text: string): number {
  let i = 0;
  const piece = (s: string): boolean => {
    if (!text.startsWith(s, i)) return false;
    i += s.length;
    return true;
  };
  if (e.time !== undefined) {
    if (e.bracketed && !piece('[')) return -1;
    if (e.date !== undefined && !(piece(e.date) && piece(' '))) return -1;
    if (!piece(e.time) || (e.bracketed && !piece(']')) || !piece(' ')) return -1;
  }
  if (e.connection !== undefined && !(piece(e.connection) && piece(' - '))) return -1;
  return i;
}

/**
 * Compares each source line of a typed event with the canonical rendering of its fields (ignoring whitespace amount
 * and letter case): a `SPACING` or `NOT_CANONICAL` warning at the first column that differs.
 */
export function canonicalCheck(
  event: LogEvent,
  used: readonly Line[],
  part?: LinePart,
  messageStart?: number,
  seen?: CanonicalMessages,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  // A one-line event read from a whole line, with where its message starts: its message text may be one seen canonical.
  let messageText: string | undefined;
  if (seen !== undefined && messageStart !== undefined && part === undefined && used.length === 1) {
    const text = (used[0] as Line).text;
    if (messageStart === canonicalPrefixLength(event as LinePrefix, text)) {
      messageText = text.slice(messageStart);
      if (seen.has(messageText)) return out;
    }
  }
  // Fields must print back as the source did, up to whitespace amount and letter case: say where they do not.
  const canon = canonicalLines(event);
  if (seen !== undefined && messageText !== undefined && canon.length === 1 && canon[0] === (used[0] as Line).text) {
    if (seen.size < MAX_CANONICAL_MESSAGES) seen.add(detached(messageText));
    return out;
  }
  // Message ids print padded to 8 digits (`61965C8D`); logs that wrote them unpadded are the client's layout too.
  const unpadded =
    event.kind === 'phase2-start' || event.kind === 'loading-ipsec-sa' ? linesOf(event, hexUpper) : undefined;
  let c = 0; // blank lines inside an event have no canonical line
  for (let k = 0; k < used.length; k++) {
    const l = used[k] as Line;
    if (k > 0 && l.text.trim() === '') continue;
    const from = k === 0 && part ? part.from : 0;
    const to = k === 0 && part ? part.to : l.text.length;
    const src = from === 0 && to === l.text.length ? l.text : l.text.slice(from, to);
    const alt = unpadded?.[c];
    const want = canon[c++] ?? '';
    if (src === want || src === alt) continue;
    if (alt !== undefined && divergence(src, alt) === undefined) continue;
    const d = divergence(src, alt !== undefined && alt.length === src.length ? alt : want);
    if (d === undefined) continue;
    out.push(
      d.spacing
        ? makeDiagnostic(
            'SPACING',
            'whitespace differs from the client’s own layout here',
            l.number,
            l.start,
            from + d.at,
          )
        : makeDiagnostic(
            'NOT_CANONICAL',
            `written differently from the client’s own layout (${JSON.stringify(want)})`,
            l.number,
            l.start,
            from + d.at,
          ),
    );
  }
  return out;
}

/** First index where `src` and `canonical` differ beyond whitespace amount and letter case, or -1. */
export function divergence(src: string, canonical: string): { at: number; spacing: boolean } | undefined {
  const a = src.trimEnd();
  const b = canonical.trimEnd();
  let i = 0;
  let j = 0;
  const ws = (c: string | undefined) => c === ' ' || c === '\t';
  if (a[0] === '\uFEFF') i++;
  while (ws(a[i])) i++;
  while (ws(b[j])) j++;
  for (;;) {
    if (i >= a.length && j >= b.length) return undefined;
    const x = a[i];
    const y = b[j];
    if (ws(x) && ws(y)) {
      while (ws(a[i])) i++;
      while (ws(b[j])) j++;
      continue;
    }
    if (x !== undefined && y !== undefined && (x === y || x.toLowerCase() === y.toLowerCase())) {
      i++;
      j++;
      if (x === '=') {
        while (ws(a[i])) i++;
        while (ws(b[j])) j++;
      }
      continue;
    }
    return { at: i, spacing: ws(x) || ws(y) };
  }
}
