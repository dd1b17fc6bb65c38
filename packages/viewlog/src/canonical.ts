/** The canonical check: does a typed line read as the client would have written its fields? */
import { makeDiagnostic } from './diagnostics';
import { canonicalLines, hexUpper, linesOf } from './format';
import type { Line } from './lines';
import type { Diagnostic, LogEvent } from './types';

/** The part `[from, to)` of a line an event was read from (a run-on line or a record head holds several). */
export interface LinePart {
  readonly from: number;
  readonly to: number;
}

/**
 * Compares each source line of a typed event with the canonical rendering of its fields (ignoring whitespace amount
 * and letter case): a `SPACING` or `NOT_CANONICAL` warning at the first column that differs.
 */
export function canonicalCheck(event: LogEvent, used: readonly Line[], part?: LinePart): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Fields must print back as the source did, up to whitespace amount and letter case: say where they do not.
  const canon = canonicalLines(event);
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
