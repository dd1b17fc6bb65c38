import { expect, it } from 'vitest';
import { splitLines } from '../src/index';

it('keeps every byte when splitting lines', () => {
  const text = 'a\r\nb\nc';
  expect(splitLines(text).join('')).toBe(text);
});
