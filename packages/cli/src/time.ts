/**
 * How times print: a fixed `--utc-offset` (`+05:30`, `-0800`, or minutes), an IANA `--tz` zone through `Intl` (the
 * offset of each timestamp's own instant, so daylight saving time is right either side of a change), or the `TZ`
 * environment variable as tcpdump honours it. Neither given and no `TZ`: UTC, as the View Log always printed.
 */
import type { UtcOffset } from '@oaklog/bridge';
import type { CaptureTime } from '@oaklog/pcap';
import { InvalidArgumentError } from 'commander';

/** How to print times. */
export interface TimeOptions {
  /** Minutes east of UTC, fixed. */
  readonly utcOffsetMinutes?: number;
  /** An IANA time zone (`Europe/Berlin`): the offset of each instant. */
  readonly timeZone?: string;
  /** ISO 8601 date and time with offset, nanoseconds (else `HH:MM:SS.mmm`). */
  readonly iso?: boolean;
}

/**
 * `--utc-offset`: `+05:30`, `-08:00`, `+0530` and `-0800` (as `date +%z` prints), `+5`, `Z`, or whole minutes
 * (`330`, `-480`: the older form), within a day either way. A sign with four digits is hours and minutes; a sign with
 * one or two digits is hours; three digits, or digits without a sign, are minutes.
 */
export function parseUtcOffset(value: string): number {
  const text = value.trim();
  if (/^[zZ]$/.test(text)) return 0;
  let minutes: number;
  const hm = /^([+-])(\d{1,2})(?::(\d{2}))?$/.exec(text) ?? /^([+-])(\d{2})(\d{2})$/.exec(text);
  if (hm !== null) {
    const m = Number(hm[3] ?? 0);
    if (m > 59) throw new InvalidArgumentError('expected ±HH:MM with minutes below 60');
    minutes = (hm[1] === '-' ? -1 : 1) * (Number(hm[2]) * 60 + m);
  } else if (/^[+-]?\d+$/.test(text)) minutes = Number(text);
  else throw new InvalidArgumentError('expected ±HH:MM (e.g. +05:30) or whole minutes between -1440 and 1440');
  if (Math.abs(minutes) > 24 * 60) throw new InvalidArgumentError('expected an offset within a day (±24:00)');
  return minutes;
}

/** `--tz`: an IANA zone name `Intl` knows; throws `InvalidArgumentError` otherwise. */
export function parseTimeZone(value: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidArgumentError(`unknown time zone ${value} (expected an IANA name such as Europe/Berlin or UTC)`);
  }
}

/**
 * The time options the command line and environment give: `--utc-offset`, else `--tz`, else the `TZ` variable (when
 * `Intl` knows it; tcpdump's `TZ=:Zone` colon form too), else UTC.
 */
export function timeOptionsOf(
  cli: { readonly utcOffset?: number; readonly tz?: string },
  env: NodeJS.ProcessEnv = process.env,
): TimeOptions {
  if (cli.utcOffset !== undefined) return { utcOffsetMinutes: cli.utcOffset };
  if (cli.tz !== undefined) return { timeZone: cli.tz };
  const tz = env.TZ?.replace(/^:/, '');
  if (tz !== undefined && tz !== '')
    try {
      return { timeZone: parseTimeZone(tz) };
    } catch {
      return {};
    }
  return {};
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `zone` at the instant `ms` (milliseconds since the epoch). */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60000);
}

/**
 * The offset of `zone` at each capture time, as the bridge takes it. Intl is slow, so the offset is kept per quarter
 * hour (every time zone transition in the tz database falls on one): a quarter whose start and end have the same offset
 * uses it throughout; one with a transition inside asks Intl for every instant.
 */
export function zoneOffsetAt(zone: string): (time: CaptureTime) => number {
  const quarter = 15 * 60;
  let start = Number.NaN;
  let offset: number | undefined;
  return (time) => {
    const seconds = time.seconds;
    const q = Math.floor(seconds / quarter) * quarter;
    if (q !== start) {
      start = q;
      const first = zoneOffsetMinutes(zone, q * 1000);
      offset = first === zoneOffsetMinutes(zone, (q + quarter - 1) * 1000) ? first : undefined;
    }
    return offset ?? zoneOffsetMinutes(zone, seconds * 1000);
  };
}

/** Each zone's offset function (`zoneOffsetAt`), made once: `decode` asks Intl once a quarter hour, not per datagram. */
const zoneOffsets = new Map<string, (time: CaptureTime) => number>();

/**
 * The offset the options give, as the bridge takes it: fixed minutes east of UTC, the zone's offset at each capture
 * time, or undefined (UTC).
 */
export function utcOffsetOf(options: TimeOptions): UtcOffset | undefined {
  if (options.utcOffsetMinutes !== undefined) return options.utcOffsetMinutes;
  const zone = options.timeZone;
  if (zone === undefined) return undefined;
  let at = zoneOffsets.get(zone);
  if (at === undefined) {
    at = zoneOffsetAt(zone);
    zoneOffsets.set(zone, at);
  }
  return at;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A capture time as `HH:MM:SS.mmm`, or with `iso` as `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn±HH:MM`, at the options' offset. */
export function formatTime(time: CaptureTime, options: TimeOptions): string {
  const at = utcOffsetOf(options);
  const offset = at === undefined ? 0 : typeof at === 'number' ? at : at(time);
  const d = new Date((time.seconds + offset * 60) * 1000);
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (!options.iso) return `${clock}.${pad(Math.floor(time.nanoseconds / 1e6), 3)}`;
  const sign = offset < 0 ? '-' : '+';
  const zone = offset === 0 ? 'Z' : `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${clock}.${pad(time.nanoseconds, 9)}${zone}`;
}
