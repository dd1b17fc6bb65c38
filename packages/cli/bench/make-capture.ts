import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, writeFileSync } from 'node:fs';
import { type CaptureCase, listCaptures, parseWiresharkKeys, readCorpusBytes, readCorpusText } from '@oaklog/corpus';
import { fromHex, toHex } from '@oaklog/crypto';
import {
  createCaptureWriter,
  encodeLinkFrame,
  encodeUdpPacket,
  type IkeDatagram,
  readCaptureBytes,
} from '@oaklog/pcap';

/**
 * The corpus captures, each once: a case whose capture has the same bytes as another's (the `-charon-log` twins) would
 * repeat its cookies inside one copy, and those datagrams would read as resends.
 */
function distinctCaptures(filter: (c: CaptureCase) => boolean = () => true): { c: CaptureCase; bytes: Uint8Array }[] {
  const seen = new Set<string>();
  const out: { c: CaptureCase; bytes: Uint8Array }[] = [];
  for (const c of listCaptures().filter(filter)) {
    const bytes = readCorpusBytes(c.path);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (seen.has(sha)) continue;
    seen.add(sha);
    out.push({ c, bytes });
  }
  return out;
}

/** Every IKE datagram of `captures`, in capture order: real exchanges of every kind they hold. */
function datagramsOf(captures: readonly { bytes: Uint8Array }[]): IkeDatagram[] {
  return captures.flatMap(({ bytes }) =>
    [...readCaptureBytes(bytes)].filter((item): item is IkeDatagram => item.kind === 'ike'),
  );
}

/**
 * The cookie `cookie` becomes in copy `copy`: its last four bytes XORed with the copy number. A zero cookie stays zero
 * (that is what marks a first message). The key table of a copy names its initiator cookies the same way.
 */
export function copyCookie(cookie: Uint8Array, copy: number): Uint8Array {
  if (cookie.every((b) => b === 0)) return cookie.slice();
  const renamed = cookie.slice();
  const view = new DataView(renamed.buffer);
  view.setUint32(4, view.getUint32(4) ^ copy);
  return renamed;
}

/**
 * The datagram with both cookies made unique to copy `copy` (see `copyCookie`). Copies that shared cookies would be
 * retransmissions of one another and flatter the renderer, so every copy is a new IKE SA. Every occurrence is
 * rewritten, not only the header's: the first IKE fragment of a message carries the message's own header, cookies
 * included.
 */
function withCopyCookies(bytes: Uint8Array, copy: number): Uint8Array {
  const out = bytes.slice();
  if (out.length < 16) return out;
  for (const at of [0, 8]) {
    const cookie = bytes.slice(at, at + 8);
    if (cookie.every((b) => b === 0)) continue;
    const renamed = copyCookie(cookie, copy);
    for (let i = 0; i + 8 <= out.length; i++)
      if (cookie.every((b, j) => out[i + j] === b)) {
        out.set(renamed, i);
        i += 7;
      }
  }
  return out;
}

/**
 * Writes a classic pcap of `source` copied until about `targetBytes` (at least one copy) to `path`, each copy with its
 * own cookies and a later time, so the capture holds ever more distinct IKE SAs. `onCopy` hears each copy number
 * before its datagrams are written. Returns the bytes written and the copies made.
 */
async function writeCopies(
  path: string,
  source: readonly IkeDatagram[],
  targetBytes: number,
  onCopy: (copy: number) => void = () => {},
): Promise<{ bytes: number; copies: number }> {
  const writer = createCaptureWriter();
  const out = createWriteStream(path);
  let written = 0;
  const put = async (chunk: Uint8Array) => {
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await put(writer.header());
  let copy = 1;
  for (; copy === 1 || written < targetBytes; copy++) {
    onCopy(copy);
    for (const [index, d] of source.entries()) {
      const ip = encodeUdpPacket({
        src: d.src,
        dst: d.dst,
        srcPort: d.srcPort,
        dstPort: d.dstPort,
        nonEspMarker: d.nonEspMarker,
        payload: withCopyCookies(d.bytes, copy),
      });
      const time = { seconds: copy * 60 + Math.floor(index / 1000), nanoseconds: (index % 1000) * 1_000_000 };
      await put(writer.packet({ time, data: encodeLinkFrame(1, ip) }));
    }
  }
  out.end();
  await once(out, 'finish');
  return { bytes: written, copies: copy - 1 };
}

/**
 * Writes a classic pcap of about `targetBytes` to `path`: the corpus datagrams over and over, each copy with its own
 * cookies and a later time, so the capture holds ever more distinct IKE SAs. Returns the bytes written.
 */
export async function writeSoakCapture(path: string, targetBytes: number): Promise<number> {
  return (await writeCopies(path, datagramsOf(distinctCaptures()), targetBytes)).bytes;
}

/**
 * Writes a capture of the corpus cases that come with a Wireshark key table, copied until it holds at least
 * `minIkeSas` IKE SAs with keys, to `path`, and the key table of every copy (initiator cookies renamed as the copy's
 * datagrams are) to `tablePath`: the same table for oaklog and for tshark. Returns the bytes and the IKE SAs keyed.
 */
export async function writeKeyedCapture(
  path: string,
  tablePath: string,
  minIkeSas: number,
): Promise<{ bytes: number; ikeSas: number }> {
  const captures = distinctCaptures((c) => c.wiresharkKeys !== undefined);
  const keys = captures.flatMap(({ c }) => parseWiresharkKeys(readCorpusText(c.wiresharkKeys as string)));
  const source = datagramsOf(captures);
  const perCopy = source.reduce((n, d) => n + d.bytes.length + 62, 0);
  const lines: string[] = [];
  const { bytes } = await writeCopies(path, source, Math.ceil(minIkeSas / keys.length) * perCopy, (copy) => {
    for (const k of keys)
      lines.push(`${toHex(copyCookie(fromHex(k.initiatorCookie) ?? new Uint8Array(8), copy))},${k.encryptionKey}`);
  });
  writeFileSync(tablePath, `${lines.join('\n')}\n`);
  return { bytes, ikeSas: lines.length };
}
