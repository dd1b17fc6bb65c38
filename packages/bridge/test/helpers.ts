/** Shared test helpers: structural signatures of View Log events, corpus capture loading and decryption. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CaptureCase, corpusRoot, listCaptures, readCorpusBytes, readCorpusText } from '@oaklog/corpus';
import { createMessageDecryptor, type MessageOutcome, parseKeysJson } from '@oaklog/crypto';
import { decode, isPayload, type Payload, PayloadType } from '@oaklog/isakmp';
import { type IkeDatagram, readCaptureBytes } from '@oaklog/pcap';
import { formatClientId, formatCookie, formatPayloadItem, type LogEvent } from '@oaklog/viewlog';

/**
 * What an event says, without its time, connection name or arrow spelling. `values: false` keeps only the shape
 * (direction, exchange, `*`, items; event kinds) for comparing a capture with a golden log of another implementation.
 */
export function signature(e: LogEvent, values = true): string {
  switch (e.kind) {
    case 'ike-message': {
      const list = e.retransmission ? 'Retransmission' : e.items.map(formatPayloadItem).join(', ');
      return `${e.direction} ${e.exchange} ${e.encrypted ? '*' : ''}(${list})`;
    }
    case 'phase1-start':
      return values ? `phase1-start ${e.peer}` : e.kind;
    case 'ike-sa-established':
      return values
        ? `established MY ${formatCookie(e.myCookie ?? new Uint8Array())} HIS ${formatCookie(e.hisCookie ?? new Uint8Array())}`
        : e.kind;
    case 'phase2-start':
      return values
        ? `phase2-start ${e.messageId.toString(16)} ${e.initiator ? formatClientId(e.initiator) : '-'} ${e.responder ? formatClientId(e.responder) : '-'}`
        : e.kind;
    case 'loading-ipsec-sa':
      return values
        ? `loading ${e.messageId.toString(16)} out ${e.outboundSpi.toString(16)} in ${e.inboundSpi.toString(16)}`
        : e.kind;
    case 'exceeded-attempts':
      return e.phase === 1 ? `exceeded phase 1 ${e.attempts}` : 'exceeded phase 2';
    case 'received-notify':
      return `received-notify ${e.notify}`;
    case 'deleting-sa':
      return values ? `deleting ${e.text}` : `deleting ${e.sa}`;
    default:
      return e.kind;
  }
}

/** True when `small` appears in `big` in order (not necessarily adjacent). */
export function isSubsequence(small: readonly string[], big: readonly string[]): boolean {
  let i = 0;
  for (const x of big) if (i < small.length && x === small[i]) i++;
  return i === small.length;
}

/** A capture's file bytes: from the manifest entry, or `cases/<name>/capture.pcap[ng]` when the manifest lacks it. */
export function captureBytes(name: string): Uint8Array {
  const listed = listCaptures().find((c) => c.name === name);
  if (listed) return readCorpusBytes(listed.path);
  const path = ['capture.pcap', 'capture.pcapng']
    .map((f) => `cases/${name}/${f}`)
    .find((p) => existsSync(join(corpusRoot, p)));
  if (path === undefined) throw new Error(`corpus has no capture named ${name}`);
  return readCorpusBytes(path);
}

/** The IKE datagrams of a capture, in order. */
export function ikeDatagrams(bytes: Uint8Array): IkeDatagram[] {
  const out: IkeDatagram[] = [];
  for (const item of readCaptureBytes(bytes)) if (item.kind === 'ike') out.push(item);
  return out;
}

/** Every capture the manifest lists. */
export function captures(): readonly CaptureCase[] {
  return listCaptures();
}

/** The SHA-256 the manifest recorded for a capture file, and the one of the bytes read now. */
export function captureHashes(c: CaptureCase, bytes: Uint8Array): { recorded: string | undefined; actual: string } {
  return {
    recorded: c.files?.find((f) => f.path === c.path)?.sha256,
    actual: createHash('sha256').update(bytes).digest('hex'),
  };
}

function payloadsOf(o: MessageOutcome | undefined): Payload[] | undefined {
  return o?.kind === 'decrypted' ? o.body.payloads : undefined;
}

/**
 * The decrypted chain of each datagram, by `@oaklog/crypto` with the case's `keys.json`, pushed in capture order: for an
 * encrypted message its payloads; for the fragment that completes an IKE fragmented message, the payloads of the
 * reassembled message; otherwise (plaintext, no keys, not decrypted, fragments before the last) undefined.
 */
export function decryptedChains(c: CaptureCase, datagrams: readonly IkeDatagram[]): (Payload[] | undefined)[] {
  if (c.keys === undefined) return datagrams.map(() => undefined);
  const decryptor = createMessageDecryptor(parseKeysJson(readCorpusText(c.keys)).ikeSas);
  return datagrams.map((d) => {
    const outcome = decryptor.push({ bytes: d.bytes, sender: `${d.src}:${d.srcPort}` });
    return payloadsOf(
      outcome.kind === 'fragment' ? outcome.reassembled : outcome.kind === 'no-keys' ? undefined : outcome,
    );
  });
}

/** One message as the client logs it: the datagram whose line it is and the whole message's bytes. */
export interface LoggedMessage {
  readonly datagram: IkeDatagram;
  /** Index of the datagram in the capture. */
  readonly index: number;
  readonly bytes: Uint8Array;
  /** Whether it came as IKE fragments (payload 132). */
  readonly fragmented: boolean;
}

/**
 * The messages of a capture as the client logs them, in order: each datagram's own message, except that IKE fragments
 * form one message, at the fragment with the last flag, from the data of fragments 1..n its sender sent before it under
 * the same fragment ID. The corpus sends fragments in order; a missing one throws rather than guesses.
 */
export function loggedMessages(datagrams: readonly IkeDatagram[]): LoggedMessage[] {
  const held = new Map<string, Map<number, Uint8Array>>();
  const out: LoggedMessage[] = [];
  datagrams.forEach((datagram, index) => {
    const f = decode(datagram.bytes).payloads.find((p) => isPayload(p, PayloadType.FRAGMENT));
    if (f === undefined) {
      out.push({ datagram, index, bytes: datagram.bytes, fragmented: false });
      return;
    }
    const key = `${datagram.src}#${f.fragmentId}`;
    const parts = held.get(key) ?? new Map<number, Uint8Array>();
    held.set(key, parts.set(f.fragmentNumber, f.data));
    if (!f.last) return;
    held.delete(key);
    const pieces: Uint8Array[] = [];
    for (let n = 1; n <= f.fragmentNumber; n++) {
      const piece = parts.get(n);
      if (piece === undefined) throw new Error(`frame ${datagram.frame}: fragment ${n} missing`);
      pieces.push(piece);
    }
    const bytes = new Uint8Array(pieces.reduce((length, x) => length + x.length, 0));
    let at = 0;
    for (const piece of pieces) {
      bytes.set(piece, at);
      at += piece.length;
    }
    out.push({ datagram, index, bytes, fragmented: true });
  });
  return out;
}
