/**
 * A capture timestamp: whole seconds since the Unix epoch plus 0..999 999 999 nanoseconds, both exact integers.
 * `@oaklog/pcap` reads these from captures; the bridge prints them. The type lives here so the bridge needs no reader
 * to name it.
 */
export interface CaptureTime {
  readonly seconds: number;
  readonly nanoseconds: number;
}
