import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createLineIndex, DiagnosticCodes, formatDiagnostic, parse } from '../src/index';

describe('LineIndex', () => {
  it('maps offsets to 1-based line and column for every line ending', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const index = createLineIndex(text);
    expect(index.lineCount).toBe(4);
    expect(index.position(0)).toEqual({ line: 1, column: 1 });
    expect(index.position(4)).toEqual({ line: 2, column: 2 });
    expect(index.position(7)).toEqual({ line: 3, column: 1 });
    expect(index.position(10)).toEqual({ line: 4, column: 1 });
    expect(index.offset(3, 2)).toBe(8);
  });

  test.prop([fc.string({ maxLength: 200 }), fc.nat()], { numRuns: 500 })(
    'agrees with the diagnostics of parse',
    (text) => {
      const index = createLineIndex(text);
      for (const d of parse(text).diagnostics) {
        expect(index.position(d.offset)).toEqual({ line: d.line, column: d.column });
        expect(index.offset(d.line, d.column)).toBe(d.offset);
      }
    },
  );
});

describe('formatDiagnostic', () => {
  it('prints position, severity, code and a caret under the spot', () => {
    const text = 'X - Deleting IKE SA\nPre-share -SENDING>>>>ISAKMP OAK MM(SA)\n';
    const [d] = parse(text).diagnostics;
    expect(d).toBeDefined();
    if (!d) return;
    expect(formatDiagnostic(text, d)).toBe(
      `2:12 warning SPACING ${d.message}\nPre-share -SENDING>>>>ISAKMP OAK MM(SA)\n           ^`,
    );
    expect(formatDiagnostic(text, d, createLineIndex(text))).toBe(formatDiagnostic(text, d));
  });

  it('keeps tabs so the caret lines up', () => {
    const text = '\tX - Initiating IKE Pha';
    const [d] = parse(text).diagnostics;
    if (!d) throw new Error('expected a diagnostic');
    expect(formatDiagnostic(text, d).split('\n')[2]).toBe(`\t${' '.repeat(text.length - 1)}^`);
  });

  it('documents every code it emits with its severity', () => {
    const text = 'note\nX - SENDING>>>> ISAKMP OAK MM (SA) junk\n  HIS COOKIE 1 2 3 4 5 6 7 8\n';
    for (const d of parse(text).diagnostics) expect(DiagnosticCodes[d.code].severity).toBe(d.severity);
  });

  it('puts the caret under the spot after a character outside the BMP (columns count UTF-16 units)', () => {
    const text = '\u{1F600} VPN -SENDING>>>> ISAKMP OAK MM (SA)\n';
    const r = parse(text);
    const d = r.diagnostics[0];
    expect(d).toBeDefined();
    if (d === undefined) return;
    expect(d.column).toBe(d.offset + 1);
    const [, line, caret] = formatDiagnostic(text, d).split('\n');
    expect(Array.from(line ?? '')[Array.from(caret ?? '').indexOf('^')]).toBe(Array.from(text.slice(d.offset))[0]);
  });

  it('gives a byte-order mark no room in the caret line', () => {
    const text = '\uFEFFPre-share - SENDING>>>> ISAKMP OAK MM (SA,KE)\n';
    const d = parse(text).diagnostics[0];
    expect(d).toBeDefined();
    if (d === undefined) return;
    const [, line, caret] = formatDiagnostic(text, d).split('\n');
    expect((line ?? '').replace('\uFEFF', '')[(caret ?? '').indexOf('^')]).toBe(text[d.offset]);
  });
});
