import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ticksToTime, timeToTicks } from '../src/index';

describe('ticksToTime', () => {
  it.each([
    { name: 'µs (default)', high: 0, low: 1_500_000, tsresol: 6, expected: { seconds: 1, nanoseconds: 500_000_000 } },
    {
      name: 'ns past 2^53',
      high: 0x17a2b3c4,
      low: 0xd5e6f708,
      tsresol: 9,
      expected: { seconds: 1703121267, nanoseconds: 83114248 },
    },
    { name: 'ms', high: 0, low: 1234, tsresol: 3, expected: { seconds: 1, nanoseconds: 234_000_000 } },
    {
      name: 'ps rounds down to ns',
      high: 0,
      low: 1_000_001_999,
      tsresol: 12,
      expected: { seconds: 0, nanoseconds: 1_000_001 },
    },
    { name: '2^-3 s', high: 0, low: 13, tsresol: 0x83, expected: { seconds: 1, nanoseconds: 625_000_000 } },
    {
      name: '2^-30 s rounds up',
      high: 0,
      low: 0x40000001,
      tsresol: 0x80 | 30,
      expected: { seconds: 1, nanoseconds: 1 },
    },
    {
      name: '2^-32 s carries into seconds',
      high: 0,
      low: 0xffffffff,
      tsresol: 0x80 | 32,
      expected: { seconds: 1, nanoseconds: 0 },
    },
    { name: 'seconds', high: 0, low: 42, tsresol: 0, expected: { seconds: 42, nanoseconds: 0 } },
  ])('$name', ({ high, low, tsresol, expected }) => {
    expect(ticksToTime(high, low, tsresol)).toEqual(expected);
  });

  it('adds if_tsoffset seconds', () => {
    expect(ticksToTime(0, 2_000_001, 6, -1)).toEqual({ seconds: 1, nanoseconds: 1000 });
  });

  it('agrees with exact bigint arithmetic at µs near the fast-path limit', () => {
    const ticks = (0x1fffffn << 32n) | 0xffffffffn;
    const t = ticksToTime(0x1fffff, 0xffffffff, 6);
    expect(BigInt(t.seconds)).toBe(ticks / 1_000_000n);
    expect(BigInt(t.nanoseconds)).toBe((ticks % 1_000_000n) * 1000n);
  });
});

describe('timeToTicks', () => {
  test.prop([fc.nat(0xffffffff), fc.nat(999_999_999), fc.constantFrom(6, 9)], { numRuns: 500 })(
    'round-trips at the resolution of the time',
    (seconds, ns, tsresol) => {
      const nanoseconds = tsresol === 6 ? ns - (ns % 1000) : ns;
      const [high, low] = timeToTicks({ seconds, nanoseconds }, tsresol);
      expect(ticksToTime(high, low, tsresol)).toEqual({ seconds, nanoseconds });
    },
  );

  test.prop([fc.nat(0xffffffff), fc.nat(0xffffffff), fc.integer({ min: 0x80, max: 0x80 | 32 })], { numRuns: 300 })(
    'power-of-2 ticks survive time and back (exactly down to 2^-29)',
    (high, low, tsresol) => {
      const bits = tsresol & 0x7f;
      const ticks = (BigInt(high) << 32n) | BigInt(low);
      if (ticks >> BigInt(bits) > 0xffffffffn) return; // keep seconds in 32 bits
      const [h2, l2] = timeToTicks(ticksToTime(high, low, tsresol), tsresol);
      // Exact while a tick is longer than a nanosecond; finer ticks can only gain under a nanosecond's worth.
      const back = (BigInt(h2) << 32n) | BigInt(l2);
      if (bits <= 29) expect(back).toBe(ticks);
      expect(back - ticks).toBeGreaterThanOrEqual(0n);
      expect((back - ticks) * 1_000_000_000n).toBeLessThanOrEqual(1n << BigInt(bits));
    },
  );
});

describe('ticksToTime at the 64-bit limit (what the README promises)', () => {
  it('is exact from 10^-4 on, and the nearest double of the seconds at 10^0..10^-3', () => {
    const max = (1n << 64n) - 1n;
    for (let n = 4; n <= 9; n++) {
      const unit = 10n ** BigInt(n);
      const t = ticksToTime(0xffffffff, 0xffffffff, n);
      expect(BigInt(t.seconds)).toBe(max / unit);
      expect(BigInt(t.nanoseconds)).toBe(((max % unit) * 1_000_000_000n) / unit);
    }
    for (let n = 0; n <= 3; n++) {
      const unit = 10n ** BigInt(n);
      const t = ticksToTime(0xffffffff, 0xffffffff, n);
      expect(t.seconds).toBe(Number(max / unit));
      expect(Number.isSafeInteger(t.seconds)).toBe(false);
      expect(BigInt(t.nanoseconds)).toBe(((max % unit) * 1_000_000_000n) / unit);
    }
  });
});
