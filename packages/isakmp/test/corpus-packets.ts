/** Every IKE datagram of every corpus capture, read with `@oaklog/pcap` (empty when the corpus has none). */
import { listCaptures, readCorpusBytes } from '@oaklog/corpus';
import { readCaptureBytes } from '@oaklog/pcap';

/** The datagrams, in manifest and capture order. */
export function corpusPackets(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of listCaptures())
    for (const item of readCaptureBytes(readCorpusBytes(c.path))) if (item.kind === 'ike') out.push(item.bytes);
  return out;
}
