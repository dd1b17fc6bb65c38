/**
 * Fixed-phrase message templates. A template is a list of literals and named fields; a space in a literal matches any
 * run of spaces and tabs, even none (collapsed whitespace still reads; the canonical check then warns). Matching reports
 * the index where the text stopped fitting, and whether that is because the text ended (a clipped line).
 */

/** A named field: a sticky regular expression. */
export interface Field {
  readonly field: string;
  readonly re: RegExp;
}

/** One template token. */
export type Token = string | Field;

/** Template match result. */
export type TemplateResult =
  | { readonly ok: true; readonly caps: Record<string, string>; readonly end: number }
  | { readonly ok: false; readonly at: number; readonly eoi: boolean };

/** Field shorthand. */
export function f(field: string, re: RegExp): Field {
  return { field, re: new RegExp(re.source, `${re.flags.replace('y', '')}y`) };
}

const isWs = (c: number) => c === 32 || c === 9;

/**
 * Whether the text's character `d` matches the literal's `c` without regard to case. Both are compared as codes: a
 * letter's capital is 32 below it in ASCII; the rare character beyond ASCII compares as `toLowerCase` says (the
 * Kelvin sign is a `k`).
 */
function sameLetter(s: string, i: number, d: number, literal: string, k: number, c: number): boolean {
  if (d === c) return true;
  if (d < 128 && c < 128) return (d | 0x20) === (c | 0x20) && (c | 0x20) >= 97 && (c | 0x20) <= 122;
  return s[i]?.toLowerCase() === literal[k]?.toLowerCase();
}

/**
 * Matches `s` from `start` against the tokens; with `rest`, text may follow (its start is `end`), otherwise only
 * whitespace may. Literals compare without regard to case (`IPsec`/`IPSec`).
 */
export function matchTemplate(tokens: readonly Token[], s: string, start = 0, rest = false): TemplateResult {
  let i = start;
  const n = s.length;
  let caps: Record<string, string> | undefined; // most tries fail on the first letter: allocate late
  for (const t of tokens) {
    if (typeof t === 'string') {
      for (let k = 0; k < t.length; k++) {
        const c = t.charCodeAt(k);
        if (c === 32) {
          while (isWs(s.charCodeAt(i))) i++;
          continue;
        }
        if (i >= n) return { ok: false, at: i, eoi: true };
        if (!sameLetter(s, i, s.charCodeAt(i), t, k, c)) return { ok: false, at: i, eoi: false };
        i++;
      }
    } else {
      t.re.lastIndex = i;
      const m = t.re.exec(s);
      if (m === null || m[0] === '') return { ok: false, at: i, eoi: i >= n };
      caps ??= {};
      caps[t.field] = m[0];
      i += m[0].length;
    }
  }
  if (!rest) {
    let j = i;
    while (isWs(s.charCodeAt(j))) j++;
    if (j < n) return { ok: false, at: j, eoi: false };
  }
  return { ok: true, caps: caps ?? {}, end: i };
}
