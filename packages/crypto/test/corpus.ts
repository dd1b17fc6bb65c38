/** Loads the corpus captures that have keys: their ISAKMP datagrams and both key files, parsed by this package. */
import { type CaptureCase, listCaptures, readCorpusBytes, readCorpusJson, readCorpusText } from '@oaklog/corpus';
import { type IkeDatagram, readCaptureBytes } from '@oaklog/pcap';
import { type KeyFileResult, type MessageInput, parseKeysJson, parseWiresharkKeyTable } from '../src/index';

export interface KeyedCapture {
  readonly name: string;
  readonly capture: CaptureCase;
  readonly datagrams: IkeDatagram[];
  readonly inputs: MessageInput[];
  readonly json: KeyFileResult;
  readonly wireshark: KeyFileResult | undefined;
  /** Raw key file, for fields this package does not read (SKEYID, g^xy, PSK). */
  readonly raw: RawKeysFile;
}

export interface RawIkeSa {
  initiatorCookie: string;
  responderCookie: string;
  encryption: string;
  hash: string;
  group?: string;
  encryptionKey: { initiator?: string; responder?: string };
  skeyid?: string;
  skeyidD?: string;
  skeyidA?: string;
  skeyidE?: string;
  initialIv?: string;
  sharedSecret?: string;
  psk?: string;
  pskResponder?: string;
  mismatch?: Record<string, string>;
}

export interface RawKeysFile {
  ikeSas: RawIkeSa[];
}

export function keyedCaptures(): KeyedCapture[] {
  return listCaptures()
    .filter((c) => c.keys !== undefined)
    .map((capture) => {
      const datagrams = [...readCaptureBytes(readCorpusBytes(capture.path))].filter(
        (i): i is IkeDatagram => i.kind === 'ike',
      );
      return {
        name: capture.name,
        capture,
        datagrams,
        inputs: datagrams.map((d) => ({ bytes: d.bytes, sender: `${d.src}:${d.srcPort}` })),
        json: parseKeysJson(readCorpusText(capture.keys ?? '')),
        wireshark: capture.wiresharkKeys ? parseWiresharkKeyTable(readCorpusText(capture.wiresharkKeys)) : undefined,
        raw: readCorpusJson<RawKeysFile>(capture.keys ?? ''),
      };
    });
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** What tshark shows of one decrypted payload: its generic header, and the byte fields it displays, as hex. */
export interface GoldenPayload {
  readonly nextPayload: number;
  readonly length: number;
  /** Byte-valued fields tshark shows (hash, nonce, SPI, notification data, ...), colons removed. */
  readonly bytes: string[];
}

/**
 * What tshark shows of one decrypted body: payload types, each payload's header and byte fields, and the bytes after
 * them (`isakmp.extradata`) as hex. The golden (`tshark -T json` without `-x`) has no raw plaintext, so these
 * displayed fields are as close to the decrypted bytes as it gets.
 */
export interface GoldenBody {
  readonly types: number[];
  readonly payloads: GoldenPayload[];
  readonly padding: string;
}

/** Fields whose value is bytes shown as colon-separated hex. */
const BYTE_FIELDS =
  /^isakmp\.(?:hash|nonce|spi|notify\.data|key_exchange\.data|ike\.nat_hash|vid_bytes|sig|cert\.data|cert\.x509\.data)$/;

function byteFields(node: Json, out: string[]): void {
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Array.isArray(node) ? node.map((x) => ['', x] as const) : Object.entries(node)) {
    if (typeof v === 'string' && BYTE_FIELDS.test(k) && /^[0-9a-f]{2}(?::[0-9a-f]{2})*$/.test(v))
      out.push(v.replaceAll(':', ''));
    else if (k !== 'isakmp.typepayload_tree') byteFields(v, out);
  }
}

/** tshark's decrypted bodies per frame it decoded cleanly, from `isakmp.enc.data` (the decrypted chain). */
export function goldenDecryptedBodies(path: string): Map<number, GoldenBody[]> {
  const packets = readCorpusJson<Json[]>(path);
  const out = new Map<number, GoldenBody[]>();
  for (const p of packets) {
    const layers = (p as { _source: { layers: Record<string, Json> } })._source.layers;
    const frame = Number((layers.frame as Record<string, Json>)['frame.number']);
    // tshark decrypts retransmissions and other-key messages with a wrong IV or key: compare only clean frames.
    if (layers['_ws.malformed'] !== undefined) continue;
    const isakmp = layers.isakmp;
    const list = Array.isArray(isakmp) ? isakmp : isakmp ? [isakmp] : [];
    const bodies: GoldenBody[] = [];
    for (const layer of list) {
      const enc = (layer as Record<string, Json>)['isakmp.enc.data'];
      if (enc === undefined || enc === null || typeof enc !== 'object' || Array.isArray(enc)) continue;
      const types = enc['isakmp.typepayload'];
      const asList = Array.isArray(types) ? types : types === undefined ? [] : [types];
      const extra = enc['isakmp.extradata'];
      const trees = enc['isakmp.typepayload_tree'];
      const treeList = Array.isArray(trees) ? trees : trees === undefined || trees === null ? [] : [trees];
      const payloads = treeList.map((t) => {
        const fields = t as Record<string, Json>;
        const bytes: string[] = [];
        byteFields(t, bytes);
        return {
          nextPayload: Number(fields['isakmp.nextpayload']),
          length: Number(fields['isakmp.payloadlength']),
          bytes,
        };
      });
      bodies.push({
        types: asList.map((t) => Number(t)),
        payloads,
        padding: typeof extra === 'string' ? extra.replaceAll(':', '') : '',
      });
    }
    if (bodies.length > 0) out.set(frame, bodies);
  }
  return out;
}
