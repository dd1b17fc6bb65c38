/** Test helpers for byte vectors written as spaced hex, one header per line. */
import { concatBytes } from '@oaklog/common';

/** Parses hex with any whitespace and `#` comments to the end of a line. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/#.*$/gm, '').replace(/\s+/g, '');
  if (clean.length % 2) throw new Error(`odd hex length in ${text}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
}

/** Concatenates byte arrays (spread, for vectors written part by part). */
export function cat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

/** Runs `fn` and returns the error it throws (failing when it does not). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
