import type { ClientId, IkeMessageEvent, LinePrefix, LogEvent, PayloadItem } from './types';

/** Canonical text of one payload item: `NAT-D`, `VID(Nat-T)`, `NOTIFY:STATUS_INITIAL_CONTACT`, or its exact spelling. */
export function formatPayloadItem(item: PayloadItem): string {
  if (item.spelling !== undefined) return item.spelling;
  if (item.vendor !== undefined) return `${item.payload}(${item.vendor})`;
  if (item.notify !== undefined) return `${item.payload}:${item.notify}`;
  return item.payload;
}

/** Unpadded upper-case hex, as the client prints message ids and SPIs. */
export function hexUpper(value: number): string {
  return (value >>> 0).toString(16).toUpperCase();
}

/** Message ids padded to 8 hex digits, as the documented `(message id: 61965C8D)`; SPIs stay unpadded (`SPI = 405`). */
function hex8(value: number): string {
  return hexUpper(value).padStart(8, '0');
}

/** Cookie bytes as the client prints them: lower-case hex without zero padding, one space apart. */
export function formatCookie(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (i > 0 ? ' ' : '') + (bytes[i] ?? 0).toString(16);
  return s;
}

/** The time stamp and connection name a line starts with, as the client prints them (`01:38:02.570 Office - `). */
export function linePrefix(e: LinePrefix): string {
  let stamp = '';
  if (e.time !== undefined) {
    stamp = (e.date !== undefined ? `${e.date} ` : '') + e.time;
    stamp = e.bracketed ? `[${stamp}] ` : `${stamp} `;
  }
  return stamp + (e.connection !== undefined ? `${e.connection} - ` : '');
}

function formatIke(e: IkeMessageEvent): string {
  let s = `${e.arrow} ISAKMP OAK ${e.exchange} `;
  if (e.gateway) s += `(InitCookie 0x${e.gateway.initCookie}, MsgID: 0x${e.gateway.msgId}) `;
  if (e.encrypted) s += '*';
  const list = e.retransmission ? 'Retransmission' : e.items.map(formatPayloadItem).join(', ');
  if (e.clipped !== undefined) return `${s}(${list}${e.clipped}`;
  s += `(${list})`;
  if (e.peer !== undefined) s += ` ${e.direction === 'sent' ? 'to' : 'from'} ${e.peer}`;
  if (e.endpoints !== undefined) for (const p of e.endpoints) s += ` ${p.address}, ${p.port}`;
  return s;
}

/** `IP ADDR=10.0.0.1, prot = 0 port = 0`. */
export function formatClientId(c: ClientId): string {
  const id = c.id;
  const what =
    id.type === 'address'
      ? `IP ADDR=${id.address}`
      : id.type === 'subnet'
        ? `IP SUBNET/MASK=${id.address}/${id.mask}`
        : `IP RANGE=${id.start}-${id.end}`;
  return `${what}, prot = ${c.protocol} port = ${c.port}`;
}

/**
 * The canonical lines of an event, without line endings: one line, or a head line and its indented continuation lines
 * (`MY COOKIE`, `HIS COOKIE`, `Initiator =`, `Responder =`).
 */
export function canonicalLines(e: LogEvent): string[] {
  return linesOf(e, hex8);
}

/** As {@link canonicalLines}, message ids printed by `mid` (parse also accepts them unpadded, as some logs wrote). */
export function linesOf(e: LogEvent, mid: (value: number) => string): string[] {
  const body = bodyLines(e, mid);
  if (e.quote === undefined && e.quoteEnd === undefined && e.row === undefined) return body;
  // The frames: paste marks on every line, a gateway row's columns around its message.
  const quote = e.quote ?? '';
  const out = body.map((l, k) => (k === 0 ? `${quote}${e.row?.lead ?? ''}${l}` : `${quote}${l}`));
  const last = out.length - 1;
  out[last] = `${out[last] ?? ''}${e.row?.trail ?? ''}${e.quoteEnd ?? ''}`;
  return out;
}

/** The lines of an event's own text, without its frames. */
function bodyLines(e: LogEvent, mid: (value: number) => string): string[] {
  switch (e.kind) {
    case 'ike-message':
      return [linePrefix(e) + formatIke(e)];
    case 'phase1-start':
      return [
        `${linePrefix(e)}Initiating IKE Phase 1 (IP ADDR=${e.peer})${e.mode !== undefined ? ` (${e.mode})` : ''}`,
      ];
    case 'ike-sa-established': {
      const parts: string[] = [];
      if (e.myCookie) parts.push(`MY COOKIE ${formatCookie(e.myCookie)}`);
      if (e.hisCookie) parts.push(`HIS COOKIE ${formatCookie(e.hisCookie)}`);
      const head = `${linePrefix(e)}Established IKE SA`;
      return e.layout === 'inline' ? [[head, ...parts].join(' ')] : [head, ...parts.map((p) => `   ${p}`)];
    }
    case 'phase2-start': {
      const parts: string[] = [];
      if (e.initiator) parts.push(`Initiator = ${formatClientId(e.initiator)}`);
      if (e.responder) parts.push(`Responder = ${formatClientId(e.responder)}`);
      const head = `${linePrefix(e)}Initiating IKE Phase 2 with Client IDs (message id: ${mid(e.messageId)})`;
      return e.layout === 'inline' ? [[head, ...parts].join(' ')] : [head, ...parts.map((p) => `  ${p}`)];
    }
    case 'loading-ipsec-sa':
      if (e.style === 'vpnclient')
        return [
          `${linePrefix(e)}Loading IPsec SA (MsgID=${hex8(e.messageId)} OUTBOUND SPI = 0x${hex8(e.outboundSpi)} INBOUND SPI = 0x${hex8(e.inboundSpi)})`,
        ];
      if (e.style === 'balanced')
        return [
          `${linePrefix(e)}Loading IPsec SA (Message ID = ${mid(e.messageId)} OUTBOUND SPI = ${hexUpper(e.outboundSpi)} INBOUND SPI = ${hexUpper(e.inboundSpi)})`,
        ];
      return [
        `${linePrefix(e)}Loading IPsec SA (Message ID = ${mid(e.messageId)}) OUTBOUND SPI = ${hexUpper(e.outboundSpi)} INBOUND SPI = ${hexUpper(e.inboundSpi)})`,
      ];
    case 'retransmit':
      return [linePrefix(e) + (e.text ?? 'message not received! Retransmitting!')];
    case 'exceeded-attempts':
      return [
        e.phase === 1
          ? `${linePrefix(e)}Exceeded ${e.attempts} IKE SA negotiation attempts`
          : `${linePrefix(e)}Exceeded retry attempts - deleting IPSec Security Association`,
      ];
    case 'received-notify':
      return [`${linePrefix(e)}Received ${e.notify} message${e.period ? '.' : ''}`];
    case 'status':
    case 'deleting-sa':
      return [linePrefix(e) + e.text];
    case 'record': {
      const seq = String(e.sequence);
      return [
        `${seq}${' '.repeat(Math.max(1, 7 - seq.length))}${e.time}  ${e.date}  Sev=${e.severity}/${e.level}\t${e.eventClass}/0x${e.eventId}`,
      ];
    }
    case 'packet-received':
      return [`${linePrefix(e)}Received ISAKMP packet: peer = ${e.peer}`];
    case 'sa-established':
    case 'known-message':
      return [linePrefix(e) + e.text];
    case 'note':
    case 'banner':
    case 'message-text':
    case 'blank':
    case 'unknown':
      return [e.text];
  }
}

/** The canonical text of one event without checking that it reads back (see `formatEvent`). */
export function formatEventText(e: LogEvent): string {
  const eol = e.eol;
  const brk = eol === '\r\n' || eol === '\r' || eol === '\n' ? eol : '\n';
  return canonicalLines(e).join(brk);
}
