/**
 * The differential check of one capture: every IKE datagram the pcap reader yields must decode, re-encode byte for
 * byte and agree with tshark's decoding of the same frame; fragment payloads are reassembled and the whole message
 * compared with the reassembled one tshark shows.
 */
import { readCapture } from '@oaklog/pcap';
import {
  createFragmentReassembler,
  DecodeError,
  decode,
  decodeAny,
  encode,
  type Ikev2Message,
  Ikev2PayloadType,
  ikev2ExchangeTypeName,
  ikev2NotifyTypeName,
  isIkev2Payload,
  isPayload,
  type Message,
  PayloadType,
} from '../src/index';
import { compareIkev2WithTshark, compareWithTshark, type Tree } from './tshark-compare';

/** One frame of a trimmed `tshark -T json --no-duplicate-keys` golden. */
export interface GoldenFrame {
  readonly _source: {
    readonly layers: { readonly frame: Tree; readonly isakmp?: Tree | Tree[]; readonly '_ws.malformed'?: unknown };
  };
}

/** What checking one capture found. */
export interface CaptureCheck {
  /** Datagrams decoded. */
  readonly datagrams: number;
  /** Messages reassembled from fragment payloads. */
  readonly reassembled: number;
  /** Every disagreement, as `frame N: …` lines; empty when all agree. */
  readonly problems: string[];
  /** Decoded IKEv1 messages in capture order. */
  readonly messages: Message[];
  /** IKEv2 datagrams decoded (and compared with tshark's IKEv2 decoding). */
  readonly ikev2: number;
  /**
   * Frames of datagrams nobody can read whole, where our `DecodeError` is the right answer (the partial decode still
   * re-encodes byte for byte): cut by the snapshot length, or malformed by tshark's verdict too (`[Malformed Packet]`,
   * or no ISAKMP header shown). Fuzzed published captures have these; a datagram only we reject is a problem instead.
   */
  readonly unreadable: number[];
}

/** The names tshark would show for an IKEv2 message: the trimmed golden keeps numbers only, so these are ours. */
function ikev2Names(m: Ikev2Message): { exchange: string; notifies: string[] } {
  return {
    exchange: ikev2ExchangeTypeName.get(m.header.exchangeType) ?? 'Unknown',
    notifies: m.payloads.flatMap((p) =>
      isIkev2Payload(p, Ikev2PayloadType.N) ? [ikev2NotifyTypeName.get(p.messageType) ?? 'Unknown'] : [],
    ),
  };
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
  const malformed = new Set<number>();
  for (const f of golden ?? []) {
    const frame = Number(f._source.layers.frame['frame.number']);
    byFrame.set(frame, list(f._source.layers.isakmp));
    if (f._source.layers['_ws.malformed'] !== undefined) malformed.add(frame);
  }
  const problems: string[] = [];
  const messages: Message[] = [];
  const unreadable: number[] = [];
  const reassembler = createFragmentReassembler();
  let datagrams = 0;
  let reassembled = 0;
  let ikev2 = 0;
  for await (const item of readCapture(once(capture))) {
    if (item.kind !== 'ike') continue;
    datagrams++;
    const at = `frame ${item.frame}`;
    // Cut by the snapshot length, or rejected by tshark too: flagged malformed, or not dissected as ISAKMP at all.
    const tsharkRejects =
      item.truncated ||
      (golden !== undefined && (malformed.has(item.frame) || (byFrame.get(item.frame) ?? []).length === 0));
    // The version decides the grammar (IKEv2 turns up on 500/4500 too); `decode` would read IKEv2 as IKEv1.
    let any: ReturnType<typeof decodeAny>;
    try {
      any = decodeAny(item.bytes);
    } catch (e) {
      if (tsharkRejects && e instanceof DecodeError) unreadable.push(item.frame);
      else problems.push(`${at}: ${(e as Error).message}`);
      continue;
    }
    if (any.version === 'unsupported' || any.error !== undefined) {
      const error = any.version === 'unsupported' ? any.error : any.error!;
      if (any.version !== 'unsupported' && !sameBytes(encode(any.message), item.bytes))
        problems.push(`${at}: partial decode re-encoding differs`);
      if (tsharkRejects) unreadable.push(item.frame);
      else problems.push(`${at}: ${error.message}`);
      continue;
    }
    if (any.version === 2) {
      ikev2++;
      if (!sameBytes(encode(any.message), item.bytes)) problems.push(`${at}: re-encoding differs`);
      if (!golden) continue;
      const layers = byFrame.get(item.frame) ?? [];
      if (layers.length === 0) problems.push(`${at}: tshark shows no ISAKMP layer`);
      else
        for (const line of compareIkev2WithTshark(any.message, layers[0]!, ikev2Names(any.message)))
          problems.push(`${at}: ${line}`);
      continue;
    }
    const m = any.message;
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
  return { datagrams, reassembled, problems, messages, ikev2, unreadable };
}
