import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { listCaptures, readCorpusBytes } from '@oaklog/corpus';
import {
  createCaptureWriter,
  encodeLinkFrame,
  encodeUdpPacket,
  type IkeDatagram,
  readCaptureBytes,
} from '@oaklog/pcap';

/** Every IKE datagram of every corpus capture, in capture order: real exchanges of every kind the corpus holds. */
function corpusDatagrams(): IkeDatagram[] {
  return listCaptures().flatMap((c) =>
    [...readCaptureBytes(readCorpusBytes(c.path))].filter((item): item is IkeDatagram => item.kind === 'ike'),
  );
}

/**
 * The datagram with both cookies made unique to copy `copy` (a zero responder cookie stays zero: that is what marks a
 * first message). Copies that shared cookies would be retransmissions of one another and flatter the renderer, so
 * every copy is a new IKE SA. Every occurrence is rewritten, not only the header's: the first IKE fragment of a
 * message carries the message's own header, cookies included.
 */
function withCopyCookies(bytes: Uint8Array, copy: number): Uint8Array {
  const out = bytes.slice();
  if (out.length < 16) return out;
  for (const at of [0, 8]) {
    const cookie = bytes.slice(at, at + 8);
    if (cookie.every((b) => b === 0)) continue;
    const renamed = cookie.slice();
    new DataView(renamed.buffer).setUint32(4, new DataView(cookie.buffer).getUint32(4) ^ copy);
    for (let i = 0; i + 8 <= out.length; i++)
      if (cookie.every((b, j) => out[i + j] === b)) {
        out.set(renamed, i);
        i += 7;
      }
  }
  return out;
}

/**
 * Writes a classic pcap of about `targetBytes` to `path`: the corpus datagrams over and over, each copy with its own
 * cookies and a later time, so the capture holds ever more distinct IKE SAs. Returns the bytes written.
 */
export async function writeSoakCapture(path: string, targetBytes: number): Promise<number> {
  const source = corpusDatagrams();
  const writer = createCaptureWriter();
  const out = createWriteStream(path);
  let written = 0;
  const put = async (chunk: Uint8Array) => {
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await put(writer.header());
  for (let copy = 1; written < targetBytes; copy++) {
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
  return written;
}
