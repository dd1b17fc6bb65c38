/** Maps 0-based offsets to 1-based line and column and back (line starts plus binary search). */
export interface LineIndex {
  /** Number of lines (a text ending with a line break has an empty last line). */
  readonly lineCount: number;
  /** 1-based line and column of a 0-based offset (clamped to the text). */
  position(offset: number): { line: number; column: number };
  /** 0-based offset of the first character of a 1-based line (clamped). */
  lineStart(line: number): number;
  /** 0-based offset of a 1-based line and column (clamped). */
  offset(line: number, column: number): number;
}

/** Builds a {@link LineIndex}; `\n`, `\r\n`, `\r\r\n` (CRLF converted twice) and a lone `\r` all end a line. */
export function createLineIndex(text: string): LineIndex {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      else if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i += 2;
      starts.push(i + 1);
    }
  }
  const lineStart = (line: number): number => starts[Math.max(0, Math.min(line - 1, starts.length - 1))] ?? 0;
  return {
    lineCount: starts.length,
    lineStart,
    position(offset) {
      const o = Math.max(0, Math.min(offset, text.length));
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= o) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: o - (starts[lo] ?? 0) + 1 };
    },
    offset(line, column) {
      return Math.min(text.length, lineStart(line) + Math.max(0, column - 1));
    },
  };
}
