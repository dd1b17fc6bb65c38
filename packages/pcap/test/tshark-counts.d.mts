/** tshark's view of one capture (see tshark-counts.mjs). */
export interface TsharkCounts {
  frames: number;
  ikeFrames: number[];
  nonEspMarkerFrames: number[];
  natKeepaliveFrames: number[];
  espInUdpFrames: number[];
  icmpQuotedIkeFrames: number[];
}
/** True when a tshark binary is on PATH. */
export function haveTshark(): boolean;
/** The tshark version. */
export function tsharkVersion(): string;
/** Runs tshark over a capture and classifies its frames. */
export function tsharkCounts(path: string): TsharkCounts;
