import { fromHex } from '../src/index';

/** Bytes of spaced hex (test tables are written one field or block per line). */
export function hex(text: string): Uint8Array {
  const b = fromHex(text.replace(/\s+/g, ''));
  if (!b) throw new Error(`bad hex in test: ${text}`);
  return b;
}

export const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
