/** Text forms of IPv4/IPv6 addresses, both ways, with no platform APIs. */

/** Dotted-quad text of 4 bytes. */
export function formatIpv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952 text of 16 bytes: lower-case hex, leading zeros dropped, the longest run of 2+ zero groups as `::`. */
export function formatIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  // RFC 5952 5: an IPv4-mapped address ends in its dotted quad.
  if (bestStart === 0 && bestLength === 5 && groups[5] === 0xffff) return `::ffff:${formatIpv4(b.subarray(12))}`;
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** 4 bytes of a dotted quad; throws `RangeError` on anything else. */
export function parseIpv4(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new RangeError(`not an IPv4 address: ${text}`);
  return Uint8Array.from(parts, Number);
}

/** 16 bytes of an IPv6 address in text (with `::` and an optional trailing dotted quad); throws `RangeError`. */
export function parseIpv6(text: string): Uint8Array {
  const fail = () => new RangeError(`not an IPv6 address: ${text}`);
  const halves = text.split('::');
  if (halves.length > 2) throw fail();
  const groups = (s: string): number[] => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    parts.forEach((p, i) => {
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(Number.parseInt(p, 16));
      else throw fail();
    });
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) throw fail();
  const all = [...head, ...new Array<number>(fill).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
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
