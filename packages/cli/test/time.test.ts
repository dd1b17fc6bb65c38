/**
 * How `--utc-offset`, `--tz` and `TZ` become offsets: the offset parser's forms, and the per-quarter-hour cache of a
 * zone's offset against asking Intl for every instant (the simple way it stands in for).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUtcOffset, zoneOffsetAt, zoneOffsetMinutes } from '../src/time';

describe('zoneOffsetAt', () => {
  // Instants within two days either side of daylight saving changes (and a zone that has none, and one at :45).
  const changes = [
    ['Europe/Berlin', Date.UTC(2026, 2, 29, 1) / 1000],
    ['Europe/Berlin', Date.UTC(2026, 9, 25, 1) / 1000],
    ['America/New_York', Date.UTC(2026, 2, 8, 7) / 1000],
    ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15) / 1000],
    ['Asia/Kathmandu', Date.UTC(2026, 0, 1) / 1000],
  ] as const;

  it('gives the offset Intl gives at every instant, in any order of instants', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...changes),
        fc.array(fc.integer({ min: -2 * 86_400, max: 2 * 86_400 }), { minLength: 1, maxLength: 40 }),
        ([zone, change], deltas) => {
          const at = zoneOffsetAt(zone);
          for (const d of deltas)
            expect(at({ seconds: change + d, nanoseconds: 0 })).toBe(zoneOffsetMinutes(zone, (change + d) * 1000));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('changes offset at the second of the change, not at the quarter hour around it', () => {
    const at = zoneOffsetAt('Europe/Berlin');
    const change = Date.UTC(2026, 2, 29, 1) / 1000;
    expect(at({ seconds: change - 1, nanoseconds: 999_999_999 })).toBe(60);
    expect(at({ seconds: change, nanoseconds: 0 })).toBe(120);
    expect(zoneOffsetAt('Australia/Lord_Howe')({ seconds: Date.UTC(2026, 0, 1) / 1000, nanoseconds: 0 })).toBe(660);
  });
});

describe('parseUtcOffset', () => {
  it('reads ±HH:MM, ±HHMM, Z and minutes, and refuses the rest', () => {
    expect(parseUtcOffset('+05:30')).toBe(330);
    expect(parseUtcOffset('-0800')).toBe(-480);
    expect(parseUtcOffset('Z')).toBe(0);
    expect(parseUtcOffset('330')).toBe(330);
    expect(parseUtcOffset('-480')).toBe(-480);
    expect(parseUtcOffset('+5')).toBe(300);
    expect(parseUtcOffset('+0545')).toBe(345);
    for (const bad of ['+5:3', '25:00', 'east', '+05:60', '', '+2500', '1441'])
      expect(() => parseUtcOffset(bad), bad).toThrow();
  });
});
