/** Every IKE datagram of every corpus capture, read with `@oaklog/pcap` (empty when the corpus has none). */
import { listCaptures, readCorpusBytes } from '@oaklog/corpus';
import { readCaptureBytes } from '@oaklog/pcap';
import { decodeAny } from '../src/index';

/** Every datagram the pcap reader calls IKE, in manifest and capture order: any version, whole or not. */
export function corpusDatagrams(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of listCaptures())
    for (const item of readCaptureBytes(readCorpusBytes(c.path))) if (item.kind === 'ike') out.push(item.bytes);
  return out;
}

/**
 * The IKEv1 datagrams that decode whole, in manifest and capture order: every one of our own captures', and those of
 * the published captures (which also hold IKEv2, fuzzed and snapshot-cut datagrams; `corpusDatagrams` has all).
 */
export function corpusPackets(): Uint8Array[] {
  return corpusDatagrams().filter((b) => {
    try {
      const d = decodeAny(b);
      return d.version === 1 && d.error === undefined;
    } catch {
      return false;
    }
  });
}
