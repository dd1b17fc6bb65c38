/**
 * Text forms of IPv4/IPv6 addresses, both ways, with no platform APIs. Formatting is total: a byte the input does not
 * have prints as `?` (`1.2.?.?`), so a short read shows as short instead of as `undefined` or as a wrong address.
 * Reading text gives undefined for anything that is not an address; each package throws its own error type for that.
 */

/** Dotted-quad text of the 4 bytes at `offset` (`192.168.0.1`). */
export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  const at = (i: number): number | string => bytes[offset + i] ?? '?';
  return `${at(0)}.${at(1)}.${at(2)}.${at(3)}`;
}

/**
 * RFC 5952 text of the 16 bytes at `offset`: lower-case hex, leading zeros dropped, the longest run of 2+ zero groups
 * as `::`, an IPv4-mapped address ending in its dotted quad.
 */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  // A group the input ends inside is undefined: it prints as `?` and is never part of a zero run.
  const groups: (number | undefined)[] = [];
  for (let i = offset; i < offset + 16; i += 2) {
    const high = bytes[i];
    const low = bytes[i + 1];
    groups.push(high === undefined || low === undefined ? undefined : (high << 8) | low);
  }
  // RFC 5952 4.2.3: the longest run, the first one on a tie.
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
  // RFC 5952 5.
  if (bestStart === 0 && bestLength === 5 && groups[5] === 0xffff) return `::ffff:${formatIpv4(bytes, offset + 12)}`;
  const text = (g: readonly (number | undefined)[]) => g.map((x) => (x === undefined ? '?' : x.toString(16))).join(':');
  if (bestStart < 0) return text(groups);
  return `${text(groups.slice(0, bestStart))}::${text(groups.slice(bestStart + bestLength))}`;
}

/** The 4 bytes of a dotted quad (`10.0.0.255`); undefined for any other text. */
export function ipv4Bytes(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return Uint8Array.from(parts, Number);
}

/** The 16 bytes of IPv6 text (with `::` and an optional trailing dotted quad); undefined for any other text. */
export function ipv6Bytes(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  // The groups of one side of `::`; only the side that ends the text may end in a dotted quad.
  const groupsOf = (side: string, endsText: boolean): number[] | undefined => {
    if (side === '') return [];
    const out: number[] = [];
    const parts = side.split(':');
    for (const [i, part] of parts.entries()) {
      const v4 = endsText && i === parts.length - 1 && part.includes('.') ? ipv4Bytes(part) : undefined;
      if (v4 !== undefined) out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(Number.parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1]!, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const out = new Uint8Array(16);
  [...head, ...new Array<number>(fill).fill(0), ...tail].forEach((group, i) => {
    out[2 * i] = group >> 8;
    out[2 * i + 1] = group & 0xff;
  });
  return out;
}
