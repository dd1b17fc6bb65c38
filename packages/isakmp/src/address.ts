/** Text forms of IPv4/IPv6 addresses, both ways (the text rules are `@oaklog/common`'s), and printable ASCII. */
import { ipv4Bytes, ipv6Bytes } from '@oaklog/common';

export { formatIpv4, formatIpv6 } from '@oaklog/common';

/** 4 bytes of a dotted quad; throws `RangeError` on anything else. */
export function parseIpv4(text: string): Uint8Array {
  const bytes = ipv4Bytes(text);
  if (bytes === undefined) throw new RangeError(`not an IPv4 address: ${text}`);
  return bytes;
}

/** 16 bytes of an IPv6 address in text (with `::` and an optional trailing dotted quad); throws `RangeError`. */
export function parseIpv6(text: string): Uint8Array {
  const bytes = ipv6Bytes(text);
  if (bytes === undefined) throw new RangeError(`not an IPv6 address: ${text}`);
  return bytes;
}

/** Printable-ASCII text of the bytes, or undefined when any byte is outside 0x20–0x7e. */
export function asciiText(b: Uint8Array): string | undefined {
  let s = '';
  for (const c of b) {
    if (c < 0x20 || c > 0x7e) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}

/** Bytes of printable-ASCII text; throws `RangeError` on other characters. */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new RangeError(`not printable ASCII: ${JSON.stringify(text)}`);
    out[i] = c;
  }
  return out;
}
