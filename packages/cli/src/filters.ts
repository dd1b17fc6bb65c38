/**
 * The filters `decode` and `view` share beyond the pipeline's own (`--peer`, `--cookie`): `--exchange`, `--frames`,
 * `--count`, and `--message-id` for decode.
 */
import { ExchangeType } from '@oaklog/isakmp';
import { InvalidArgumentError } from 'commander';

/** What a listing keeps. */
export interface RecordFilter {
  /** Only datagrams of this exchange type number. */
  readonly exchange?: number;
  /** Only frames in this range (inclusive). */
  readonly frames?: readonly [number, number];
  /** At most this many records. */
  readonly count?: number;
  /** Only messages with this message ID. */
  readonly messageId?: number;
}

/** The short names of `--exchange`, as the View Log writes them. */
export const EXCHANGE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  MM: ExchangeType.IDENTITY_PROTECTION,
  AG: ExchangeType.AGGRESSIVE,
  QM: ExchangeType.QUICK_MODE,
  INFO: ExchangeType.INFORMATIONAL,
  TRANS: ExchangeType.TRANSACTION,
};

/** `--exchange MM|AG|QM|INFO|TRANS|<number>`. */
export function parseExchange(value: string): number {
  const known = EXCHANGE_ABBREVIATIONS[value.toUpperCase()];
  if (known !== undefined) return known;
  if (/^\d+$/.test(value) && Number(value) <= 255) return Number(value);
  throw new InvalidArgumentError('expected MM, AG, QM, INFO, TRANS or an exchange type number 0-255');
}

/** `--frames 10-20`, `10-`, `-20` or `12`. */
export function parseFrames(value: string): [number, number] {
  const m = /^(\d*)(?:(-)(\d*))?$/.exec(value.trim());
  if (m === null || (m[1] === '' && (m[3] ?? '') === ''))
    throw new InvalidArgumentError('expected a frame range such as 10-20, 10-, -20 or 12');
  const from = m[1] === '' ? 1 : Number(m[1]);
  const to = m[2] === undefined ? from : m[3] === '' ? Number.MAX_SAFE_INTEGER : Number(m[3]);
  if (to < from) throw new InvalidArgumentError(`the range ${value} ends before it starts`);
  return [from, to];
}

/** `-c/--count N`: a positive whole number. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return Number(value);
}

/** `--message-id HEX`: 8 hex digits at most (`0x` allowed). */
export function parseMessageId(value: string): number {
  const digits = value.replace(/^0x/i, '');
  if (!/^[0-9a-f]{1,8}$/i.test(digits)) throw new InvalidArgumentError('expected a message ID of up to 8 hex digits');
  return Number.parseInt(digits, 16);
}

/** Whether a record of `frame` (exchange and message ID when it has a message) passes the filter (not `count`). */
export function wantedRecord(
  filter: RecordFilter,
  frame: number,
  exchange: number | undefined,
  messageId: number | undefined,
  _shown: number,
): boolean {
  if (filter.frames !== undefined && (frame < filter.frames[0] || frame > filter.frames[1])) return false;
  if (filter.exchange !== undefined && exchange !== filter.exchange) return false;
  if (filter.messageId !== undefined && messageId !== filter.messageId) return false;
  return true;
}
