/**
 * One ISAKMP message → its View Log line, in the SafeNet / Cisco Secure VPN Client's words:
 *
 *   [HH:MM:SS.mmm ][connection - ](SENDING>>>>|RECEIVED<<<<) ISAKMP OAK <exchange> [*](<item>, <item>, …)
 *
 * Every word comes from viewlog's name tables (the client's words, and `PAYLOAD_<n>` / `EXCHANGE_<n>` for numbers no
 * client printed); the line itself is printed by viewlog's canonical formatter, so what we write is what its parser
 * reads, with no warning.
 */
import type { CaptureTime } from '@oaklog/common';
import { HeaderFlag, type Message, type Payload, PayloadType } from '@oaklog/isakmp';
import {
  canonicalLines,
  type Direction,
  type IkeMessageEvent,
  notifyName,
  type PayloadItem,
  UNREADABLE_ITEM,
  exchangeWord as viewlogExchangeWord,
  payloadWord as viewlogPayloadWord,
} from '@oaklog/viewlog';

/**
 * Minutes east of UTC for printed times (the client logged local time): one offset for the whole capture, or the
 * offset at each instant (a time zone's, which daylight saving time moves).
 */
export type UtcOffset = number | ((time: CaptureTime) => number);

/** What the line needs besides the message itself. */
interface MetaBase {
  /** Policy Editor connection name printed before ` - `; no prefix when absent. */
  readonly connection?: string;
  /** When the datagram was seen; printed as `HH:MM:SS.mmm`. No time field when absent. */
  readonly time?: CaptureTime;
  /** Minutes east of UTC for the printed time (the client logged local time); default 0 (UTC). */
  readonly utcOffsetMinutes?: UtcOffset;
  /** The same bytes were seen earlier: the list becomes `(Retransmission)`. */
  readonly retransmission?: boolean;
  /**
   * The decrypted payload chain of an encrypted message, from the caller (the bridge holds no keys). Without it an
   * encrypted message shows only the type its header names; see {@link messageItems}.
   */
  readonly plaintext?: readonly Payload[];
  /**
   * The message decoded only in part: its list ends with {@link UNREADABLE}. Default: whether `message.unreadable` is
   * set (an encrypted body cut short leaves no `unreadable`; the decoder's error says so).
   */
  readonly unreadable?: boolean;
}

/**
 * The point of view and the surroundings of one message: either the direction itself, or the local address ("us") and
 * the datagram's source address, from which the direction follows.
 */
export type RenderMeta = MetaBase &
  (
    | { /** `sent` prints `SENDING>>>>`, `received` prints `RECEIVED<<<<`. */ readonly direction: Direction }
    | {
        /** The local side's address. */
        readonly local: string;
        /** The datagram's source address: `local` means we sent it. */
        readonly source: string;
      }
  );

/** The client's arrow for each direction (four arrowheads, as in the documented scenarios). */
export const ARROW: Readonly<Record<Direction, string>> = { sent: 'SENDING>>>>', received: 'RECEIVED<<<<' };

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `HH:MM:SS.mmm` of a capture time at `utcOffset` east of UTC (milliseconds truncated, as a clock shows them). */
export function formatTime(time: CaptureTime, utcOffset: UtcOffset = 0): string {
  const utcOffsetMinutes = typeof utcOffset === 'function' ? utcOffset(time) : utcOffset;
  const ms = Math.floor(time.nanoseconds / 1e6);
  const day = 86_400;
  const secs = (((time.seconds + Math.round(utcOffsetMinutes * 60)) % day) + day) % day;
  return `${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}.${String(ms).padStart(3, '0')}`;
}

/**
 * The word after `ISAKMP OAK`: the client's abbreviation (`MM`, `AG`, `QM`, `INFO`, `TRANS`, …), else viewlog's
 * `EXCHANGE_<n>`, which its grammar reads back as that number.
 */
export const exchangeWord: (exchangeType: number) => string = viewlogExchangeWord;

/**
 * The list word of a payload type: the client's abbreviation (`SA`, `NON`, `NAT-D`, …), else viewlog's `PAYLOAD_<n>`,
 * which its grammar reads back as that number. (Registry names such as `SAK` would be words no View Log reader knows.)
 */
export const payloadWord: (payloadType: number) => string = viewlogPayloadWord;

/** One list item of a payload: `NOTIFY:<client-style name>` for notifications, the payload word otherwise. */
export function payloadItem(p: Payload): PayloadItem {
  if (p.type === PayloadType.NOTIFICATION && 'messageType' in p)
    return { payload: 'NOTIFY', notify: notifyName(p.messageType) };
  return { payload: payloadWord(p.type) };
}

/**
 * The word that ends the payload list of a message decoded only in part (`decodePartial`/`decodeAny` left the rest in
 * `message.unreadable`): `MM (SA, VID, UNREADABLE)` lists the payloads that decoded, then says the rest did not.
 * viewlog's mark, which its grammar reads back as a typed item.
 */
export { UNREADABLE } from '@oaklog/viewlog';

/**
 * The payload list of a message, in packet order (a message decoded in part ends with {@link UNREADABLE}). An encrypted message lists its decrypted chain when `plaintext` is
 * given; otherwise only the header's next payload is readable, so the list holds that one first item and nothing is
 * invented after it (the `*` tells the reader the rest was ciphertext). An encrypted body whose header names no
 * payload gives an empty list.
 */
export function messageItems(
  message: Message,
  plaintext?: readonly Payload[],
  unreadable = message.unreadable !== undefined,
): PayloadItem[] {
  const encrypted = (message.header.flags & HeaderFlag.ENCRYPTION) !== 0;
  const mark: PayloadItem[] = unreadable ? [UNREADABLE_ITEM] : [];
  if (encrypted) {
    if (plaintext !== undefined) return [...plaintext.map(payloadItem), ...mark];
    const first = message.header.nextPayload;
    return [...(first === 0 ? [] : [{ payload: payloadWord(first) }]), ...mark];
  }
  return [...message.payloads.map(payloadItem), ...mark];
}

/** The direction a meta describes. */
export function metaDirection(meta: RenderMeta): Direction {
  if ('direction' in meta) return meta.direction;
  return meta.source === meta.local ? 'sent' : 'received';
}

/** The prefix fields (`time`, `connection`) of a line, omitting what the meta does not give. */
export function linePrefix(meta: {
  readonly connection?: string;
  readonly time?: CaptureTime;
  readonly utcOffsetMinutes?: UtcOffset;
}): { time?: string; connection?: string } {
  const prefix: { time?: string; connection?: string } = {};
  if (meta.time !== undefined) prefix.time = formatTime(meta.time, meta.utcOffsetMinutes);
  if (meta.connection !== undefined) prefix.connection = meta.connection;
  return prefix;
}

/** The View Log event of one message: what {@link render} prints, as viewlog data. Pure. */
export function messageEvent(message: Message, meta: RenderMeta): IkeMessageEvent {
  const direction = metaDirection(meta);
  const retransmission = meta.retransmission === true;
  return {
    kind: 'ike-message',
    ...linePrefix(meta),
    direction,
    arrow: ARROW[direction],
    exchange: exchangeWord(message.header.exchangeType),
    encrypted: (message.header.flags & HeaderFlag.ENCRYPTION) !== 0,
    items: retransmission
      ? []
      : messageItems(message, meta.plaintext, meta.unreadable ?? message.unreadable !== undefined),
    retransmission,
  };
}

/**
 * Renders one decoded ISAKMP message as the client's View Log line(s), without line endings. Pure; the output parses
 * with viewlog's `parse` to the same event with zero diagnostics.
 */
export function render(message: Message, meta: RenderMeta): string[] {
  return canonicalLines(messageEvent(message, meta));
}
