/** Shared test helpers: structural signatures of View Log events and corpus capture loading. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CaptureCase, corpusRoot, listCaptures, readCorpusBytes } from '@oaklog/corpus';
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
