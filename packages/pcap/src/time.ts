/**
 * Capture timestamps. pcapng counts ticks of `if_tsresol` (10^-n or 2^-n seconds) in 64 bits, which a JS number cannot hold
 * at nanosecond resolution, so a time is whole seconds plus nanoseconds, both exact integers.
 */
import type { CaptureTime } from '@oaklog/common';
import { CaptureError } from './errors';

// The type is `@oaklog/common`'s, so the bridge can name a time without depending on this reader.
export type { CaptureTime };

const TWO_32 = 0x1_0000_0000;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** The `if_tsresol` byte meaning "microseconds", pcapng's default. */
export const DEFAULT_TSRESOL = 6;

/**
 * Converts a 64-bit tick count (as two 32-bit halves) at `if_tsresol` to a time. Power-of-10 resolutions down to 1 ns are
 * exact while the seconds fit in 2^53 (always from 10^-4 on; at 10^0..10^-3 larger seconds are the nearest double) and
 * finer ones are rounded down; power-of-2 ones are rounded up to the nanosecond (see below).
 */
export function ticksToTime(high: number, low: number, tsresol: number, offsetSeconds = 0): CaptureTime {
  if ((tsresol & 0x80) === 0 && tsresol <= 9) {
    // Long division of high·2^32 + low by 10^n in 16-bit steps keeps every intermediate below 2^53: exact, no BigInt.
    const d = POW10[tsresol]!;
    let r = high % d;
    let t = r * 0x10000 + (low >>> 16);
    const q1 = Math.floor(t / d);
    r = t - q1 * d;
    t = r * 0x10000 + (low & 0xffff);
    const q2 = Math.floor(t / d);
    r = t - q2 * d;
    const seconds = Math.floor(high / d) * TWO_32 + q1 * 0x10000 + q2;
    return { seconds: seconds + offsetSeconds, nanoseconds: r * POW10[9 - tsresol]! };
  }
  const ticks = (BigInt(high) << 32n) | BigInt(low);
  if ((tsresol & 0x80) === 0) {
    const unit = 10n ** BigInt(tsresol);
    return {
      seconds: Number(ticks / unit) + offsetSeconds,
      nanoseconds: Number(((ticks % unit) * 1_000_000_000n) / unit),
    };
  }
  // 2^-n ticks rarely land on a nanosecond: round up, so that writing the time back at 2^-n (which rounds down) gives
  // the same tick count for every n up to 29.
  const bits = BigInt(tsresol & 0x7f);
  const frac = ticks & ((1n << bits) - 1n);
  const ns = Number((frac * 1_000_000_000n + (1n << bits) - 1n) >> bits);
  const seconds = Number(ticks >> bits) + offsetSeconds;
  return ns === 1e9 ? { seconds: seconds + 1, nanoseconds: 0 } : { seconds, nanoseconds: ns };
}

/** True when `time` is whole non-negative seconds plus 0..999 999 999 whole nanoseconds. */
export function isValidTime(time: CaptureTime): boolean {
  return (
    Number.isSafeInteger(time.seconds) &&
    time.seconds >= 0 &&
    Number.isInteger(time.nanoseconds) &&
    time.nanoseconds >= 0 &&
    time.nanoseconds < 1e9
  );
}

/**
 * Converts a time to a 64-bit tick count at `if_tsresol` (rounding down), as `[high, low]` 32-bit halves. Throws
 * `CaptureError` BAD_INPUT for an invalid time or one past 2^64 ticks, rather than wrapping.
 */
export function timeToTicks(time: CaptureTime, tsresol: number): [number, number] {
  if (!isValidTime(time)) throw new CaptureError('BAD_INPUT', 0, `invalid time ${JSON.stringify(time)}`);
  const unit = (tsresol & 0x80) === 0 ? 10n ** BigInt(tsresol) : 1n << BigInt(tsresol & 0x7f);
  const ticks = BigInt(time.seconds) * unit + (BigInt(time.nanoseconds) * unit) / 1_000_000_000n;
  if (ticks >> 64n !== 0n) throw new CaptureError('BAD_INPUT', 0, `time ${time.seconds} s overflows 64-bit ticks`);
  return [Number(ticks >> 32n), Number(ticks & 0xffffffffn)];
}
