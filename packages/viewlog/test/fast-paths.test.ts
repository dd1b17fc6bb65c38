/**
 * The scanners that replaced regular expressions and library calls on the parser's hot path, each checked against the
 * simple form it stands for.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { upperCase, wordAt } from '../src/ike';
import { lineBreaks } from '../src/lines';

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
