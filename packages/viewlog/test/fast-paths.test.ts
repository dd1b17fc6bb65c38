/**
 * The scanners that replaced regular expressions and library calls on the parser's hot path, each checked against the
 * simple form it stands for.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { canonicalPrefixLength } from '../src/canonical';
import { linePrefix } from '../src/format';
import { mayBeNote, NOTES } from '../src/frames';
import { upperCase, wordAt } from '../src/ike';
import { checkEvent, formatEvent, type LinePrefix, type LogEvent, parse } from '../src/index';
import { lineBreaks } from '../src/lines';
import { f, matchTemplate, type TemplateResult, type Token } from '../src/template';
import { connection, safenetEvent, time } from './arbitraries';

/** Text with what the scanners look at: letters of both cases, digits, `_`, `-`, line breaks, non-ASCII letters. */
const text = fc
  .array(fc.constantFrom('a', 'Z', 's', 'M', '0', '9', '_', '-', ' ', '\t', '(', '\r', '\n', 'ß', 'ı', 'é', 'K'), {
    maxLength: 40,
  })
  .map((cs) => cs.join(''));

test.prop([text, fc.nat(45)], { numRuns: 300 })('wordAt reads what /[A-Za-z][A-Za-z0-9_-]*/y matches', (s, i) => {
  const re = /[A-Za-z][A-Za-z0-9_-]*/y;
  re.lastIndex = i;
  expect(wordAt(s, i)).toBe(re.exec(s)?.[0]);
});

test.prop([text], { numRuns: 300 })('upperCase is toUpperCase', (s) => {
  expect(upperCase(s)).toBe(s.toUpperCase());
});

test.prop([text, fc.array(fc.nat(), { maxLength: 12 })], { numRuns: 300 })(
  'lineBreaks finds, from increasing offsets, the first \\r or \\n a scan finds (or the end)',
  (s, picks) => {
    const next = lineBreaks(s);
    for (const from of picks.map((p) => p % (s.length + 1)).sort((a, b) => a - b)) {
      let i = from;
      while (i < s.length && s[i] !== '\r' && s[i] !== '\n') i++;
      expect(next(from)).toBe(i);
    }
  },
);

/** Kinds that print as one line (the canonical check remembers the messages of these). */
const ONE_LINE = new Set<LogEvent['kind']>([
  'ike-message',
  'phase1-start',
  'loading-ipsec-sa',
  'retransmit',
  'exceeded-attempts',
  'received-notify',
  'packet-received',
  'deleting-sa',
  'status',
  'sa-established',
]);

/**
 * A line changed where the canonical check looks (it ignores how much whitespace, and letter case): a space taken
 * out, a space put in, or a letter in the other case.
 */
const mutated = (line: string, at: number, how: number): string => {
  if (how === 0) {
    const spaces = [...line].flatMap((c, i) => (c === ' ' ? [i] : []));
    const i = spaces[at % Math.max(1, spaces.length)];
    return i === undefined ? line : line.slice(0, i) + line.slice(i + 1);
  }
  const i = at % Math.max(1, line.length);
  if (how === 1) return `${line.slice(0, i)} ${line.slice(i)}`;
  const c = line[i] ?? '';
  const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  return line.slice(0, i) + flipped + line.slice(i + 1);
};

test.prop(
  [fc.array(fc.tuple(safenetEvent, fc.nat(), fc.boolean(), fc.nat(2)), { minLength: 1, maxLength: 8 }), fc.nat()],
  { numRuns: 150 },
)(
  'a line remembered canonical gets the diagnostics it gets alone, however often its message repeats',
  (picks, seed) => {
    const lines: string[] = [];
    for (const [e, at, change, how] of picks) {
      if (!ONE_LINE.has(e.kind) || checkEvent(e) !== undefined) continue;
      const line = formatEvent(e);
      lines.push(line, change ? mutated(line, at, how) : line);
    }
    // The same messages again, in another order, so each meets the memory of the ones before it.
    const again = lines.map((l, k) => lines[(k * 7 + seed) % lines.length] ?? l);
    const all = [...lines, ...again];
    const whole = parse(all.map((l) => `${l}\n`).join(''), { dialect: 'safenet' });
    let offset = 0;
    all.forEach((line, k) => {
      const alone = parse(`${line}\n`, { dialect: 'safenet' });
      const inWhole = whole.diagnostics.filter((d) => d.line === k + 1);
      expect(inWhole.map((d) => [d.code, d.column, d.offset - offset])).toEqual(
        alone.diagnostics.map((d) => [d.code, d.column, d.offset]),
      );
      offset += line.length + 1;
    });
  },
);

const anyPrefix: fc.Arbitrary<LinePrefix> = fc.record(
  {
    time,
    connection,
    date: fc.constantFrom('12/03/2003', '2003-12-03', '4-16:'),
    bracketed: fc.constant(true as const),
  },
  { requiredKeys: [] },
);

test.prop([anyPrefix, anyPrefix, fc.string({ maxLength: 6 }), fc.nat()], { numRuns: 300 })(
  'canonicalPrefixLength is the length of linePrefix when the text starts with it, else -1',
  (e, other, rest, cut) => {
    const printed = linePrefix(other) + rest;
    // The text: another prefix, or a piece of this one's, then anything.
    for (const text of [printed, linePrefix(e) + rest, linePrefix(e).slice(0, cut % (linePrefix(e).length + 1))]) {
      const want = text.startsWith(linePrefix(e)) ? linePrefix(e).length : -1;
      expect(canonicalPrefixLength(e, text)).toBe(want);
    }
  },
);

/** matchTemplate as it was written first: one character string at a time, `toLowerCase` on both sides. */
function simpleMatch(tokens: readonly Token[], s: string, start = 0, rest = false): TemplateResult {
  const isWs = (c: string | undefined) => c === ' ' || c === '\t';
  let i = start;
  const caps: Record<string, string> = {};
  for (const t of tokens) {
    if (typeof t === 'string') {
      for (const c of t) {
        if (c === ' ') {
          while (isWs(s[i])) i++;
          continue;
        }
        if (i >= s.length) return { ok: false, at: i, eoi: true };
        if (s[i] !== c && s[i]?.toLowerCase() !== c.toLowerCase()) return { ok: false, at: i, eoi: false };
        i++;
      }
    } else {
      t.re.lastIndex = i;
      const m = t.re.exec(s);
      if (m === null || m[0] === '') return { ok: false, at: i, eoi: i >= s.length };
      caps[t.field] = m[0];
      i += m[0].length;
    }
  }
  if (!rest) {
    let j = i;
    while (isWs(s[j])) j++;
    if (j < s.length) return { ok: false, at: j, eoi: false };
  }
  return { ok: true, caps, end: i };
}

const TEMPLATES: readonly Token[][] = [
  ['Initiating IKE Phase 1 (IP ADDR=', f('peer', /[^)]*[^)\s][^)]*/), ')'],
  ['Exceeded ', f('n', /\d{1,6}/), ' IKE SA negotiation attempts'],
  ['message not received! Retransmitting!'],
  ['Received ', f('notify', /[A-Z][A-Z0-9_-]*(?=[ \t]|$)/), ' message.'],
];

/** Template texts with changes where matching looks: case, spacing, characters beyond ASCII, cut ends. */
const nearTemplate = fc
  .tuple(
    fc.constantFrom(
      'Initiating IKE Phase 1 (IP ADDR=10.0.0.1)',
      'Initiating I\u212AE Phase 1 (IP ADDR=10.0.0.1)',
      'Exceeded 3 IKE SA negotiation attempts',
      'message not received! Retransmitting!',
      'Received NO_PROPOSAL_CHOSEN message.',
    ),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('upper', 'lower', 'space', 'tab', 'drop', '\u212A', 'ı', 'é', '@'))),
    fc.nat(),
  )
  .map(([text, changes, cut]) => {
    let s = text;
    for (const [at, how] of changes) {
      const i = at % (s.length + 1);
      const c = s[i] ?? '';
      const put =
        how === 'upper'
          ? c.toUpperCase()
          : how === 'lower'
            ? c.toLowerCase()
            : how === 'space'
              ? ` ${c}`
              : how === 'tab'
                ? `\t${c}`
                : how === 'drop'
                  ? ''
                  : how;
      s = s.slice(0, i) + put + s.slice(i + 1);
    }
    return cut % 3 === 0 ? s.slice(0, cut % (s.length + 1)) : s;
  });

test.prop([fc.constantFrom(...TEMPLATES), nearTemplate, fc.boolean()], { numRuns: 500 })(
  'matchTemplate answers as the simple character-by-character match',
  (tokens, s, rest) => {
    expect(matchTemplate(tokens, s, 0, rest)).toEqual(simpleMatch(tokens, s, 0, rest));
  },
);

/** Lines near the notes people paste: elisions, bracketed comments, quote headers, tags, with blanks around. */
const noteLike = fc
  .tuple(
    fc.constantFrom('', ' ', '\t', '  '),
    fc.constantFrom(
      '...',
      '…',
      '[snip]',
      '< snipped >',
      '-- snip --',
      '[These last two appear four times each]',
      '**jdoe wrote:**',
      'jdoe said:',
      'Quote from jdoe:',
      '[code]',
      '[/quote][size=1]',
      'Pre-share - SENDING>>>> ISAKMP OAK MM (SA)',
      '01:38:02.570 Office - Established IKE SA',
    ),
    fc.string({ maxLength: 3 }),
    fc.constantFrom('', ' ', '\t'),
  )
  .map(([lead, body, extra, trail]) => lead + body + extra + trail);

test.prop([fc.oneof(noteLike, fc.string({ maxLength: 20 }))], { numRuns: 500 })(
  'mayBeNote is true of every line a note pattern matches',
  (line) => {
    if (NOTES.some(([re]) => re.test(line))) expect(mayBeNote(line)).toBe(true);
  },
);
