/**
 * The differential check of one capture: every IKE datagram the pcap reader yields must decode, re-encode byte for
 * byte and agree with tshark's decoding of the same frame; fragment payloads are reassembled and the whole message
 * compared with the reassembled one tshark shows.
 */
import { readCapture } from '@oaklog/pcap';
import { createFragmentReassembler, decode, encode, isPayload, type Message, PayloadType } from '../src/index';
import { compareWithTshark, type Tree } from './tshark-compare';

/** One frame of a trimmed `tshark -T json --no-duplicate-keys` golden. */
export interface GoldenFrame {
  readonly _source: { readonly layers: { readonly frame: Tree; readonly isakmp?: Tree | Tree[] } };
}

/** What checking one capture found. */
export interface CaptureCheck {
  /** Datagrams decoded. */
  readonly datagrams: number;
  /** Messages reassembled from fragment payloads. */
  readonly reassembled: number;
  /** Every disagreement, as `frame N: …` lines; empty when all agree. */
  readonly problems: string[];
  /** Decoded messages in capture order. */
  readonly messages: Message[];
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Reads a capture with `@oaklog/pcap` and checks each IKE datagram against the golden's frame (when given). */
export async function checkCapture(
  capture: Uint8Array,
  golden: readonly GoldenFrame[] | undefined,
): Promise<CaptureCheck> {
  const byFrame = new Map<number, Tree[]>();
  for (const f of golden ?? [])
    byFrame.set(Number(f._source.layers.frame['frame.number']), list(f._source.layers.isakmp));
  const problems: string[] = [];
  const messages: Message[] = [];
  const reassembler = createFragmentReassembler();
  let datagrams = 0;
  let reassembled = 0;
  for await (const item of readCapture(once(capture))) {
    if (item.kind !== 'ike') continue;
    datagrams++;
    const at = `frame ${item.frame}`;
    let m: Message;
    try {
      m = decode(item.bytes);
    } catch (e) {
      problems.push(`${at}: ${(e as Error).message}`);
      continue;
    }
    messages.push(m);
    if (!sameBytes(encode(m), item.bytes)) problems.push(`${at}: re-encoding differs`);
    if (!golden) continue;
    const layers = byFrame.get(item.frame) ?? [];
    if (layers.length === 0) {
      problems.push(`${at}: tshark shows no ISAKMP layer`);
      continue;
    }
    for (const line of compareWithTshark(m, layers[0]!)) problems.push(`${at}: ${line}`);
    const trees = list(layers[0]!['isakmp.typepayload_tree'] as Tree | Tree[]);
    m.payloads.forEach((p, i) => {
      if (!isPayload(p, PayloadType.FRAGMENT)) return;
      const key = `${item.src}:${item.srcPort}>${item.dst}:${item.dstPort}`;
      const result = reassembler.push(p, key);
      if (result.status !== 'complete') return;
      reassembled++;
      const whole = decode(result.message);
      if (!sameBytes(encode(whole), result.message)) problems.push(`${at}: reassembled re-encoding differs`);
      // tshark nests the reassembled message inside the last fragment payload's tree.
      const tree = trees[i] ?? {};
      const joined = (tree['isakmp.fragments'] ?? {}) as Tree;
      const inner = tree.isakmp as Tree | undefined;
      if (!inner) {
        problems.push(`${at}: we reassembled a message, tshark shows none`);
        return;
      }
      if (Number(joined['isakmp.fragment.count']) !== result.fragments)
        problems.push(`${at}: ${result.fragments} fragments, tshark ${joined['isakmp.fragment.count']}`);
      if (Number(joined['isakmp.reassembled.length']) !== result.message.length)
        problems.push(
          `${at}: reassembled ${result.message.length} bytes, tshark ${joined['isakmp.reassembled.length']}`,
        );
      for (const line of compareWithTshark(whole, inner)) problems.push(`${at} (reassembled): ${line}`);
    });
  }
  return { datagrams, reassembled, problems, messages };
}
