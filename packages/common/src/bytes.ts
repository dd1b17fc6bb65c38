/** Byte helpers on plain `Uint8Array`s (no `Buffer`), so every package runs in browsers. */

/** Two lower-case hex digits for each byte value: one lookup per byte where `toString(16)` would allocate. */
const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The character codes of each byte value's two hex digits, high digit first: `HEX_CODES[2 * b]`, `[2 * b + 1]`. */
const HEX_CODES = Uint16Array.from(HEX_DIGITS.join(''), (c) => c.charCodeAt(0));

/** Bytes turned into one flat string at a time: `String.fromCharCode` takes this many codes as arguments. */
const HEX_CHUNK_BYTES = 4096;
const hexScratch = new Uint16Array(2 * HEX_CHUNK_BYTES);

/**
 * Lower-case hex of `bytes`, two digits a byte, nothing between (`c0a80001`). The string is made flat, from its
 * character codes: one built with `+=` is a rope of a node a byte, and a map keyed by such strings (cookies,
 * digests) held several times the text's size in rope nodes.
 */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let from = 0; from < bytes.length; from += HEX_CHUNK_BYTES) {
    const n = Math.min(HEX_CHUNK_BYTES, bytes.length - from);
    for (let i = 0; i < n; i++) {
      const b = bytes[from + i] as number;
      hexScratch[2 * i] = HEX_CODES[2 * b] as number;
      hexScratch[2 * i + 1] = HEX_CODES[2 * b + 1] as number;
    }
    s += String.fromCharCode.apply(null, hexScratch.subarray(0, 2 * n) as unknown as number[]);
  }
  return s;
}

/** Bytes of an even-length hex string (colons, spaces and a `0x` prefix allowed); undefined when it is not hex. */
export function fromHex(text: string): Uint8Array | undefined {
  const clean = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * A copy of `bytes[start, end)` in memory of its own, as a plain `Uint8Array`. Not `bytes.slice()`: on a Node `Buffer`
 * that is a view, and a kept "copy" would keep the whole buffer it came from (a 64 KiB read chunk) alive.
 */
export function copyBytes(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  return new Uint8Array(bytes.subarray(start, end));
}

/** One new array holding `parts` one after another. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Whether `a` and `b` hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
