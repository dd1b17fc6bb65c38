/** Interface bookkeeping shared by the pcap and pcapng decoders: bounded in what it holds and what the summary lists. */
import { CaptureError } from './errors';
import type { CaptureInterface, DecoderState } from './frames';

/** Interfaces listed in the summary; `interfaceCount` counts them all. */
export const MAX_INTERFACES_LISTED = 1000;

/**
 * Records an interface of the current section (shared with an identical earlier one) and lists it if room remains.
 * `offset` is the file offset of the block describing it, for the error past `maxInterfaces`: without that bound a
 * section of 2^24 distinct descriptions overflowed the table (a RangeError, not a CaptureError).
 */
export function addInterface(state: DecoderState, iface: CaptureInterface, offset: number): void {
  if (state.interfaces.length >= state.maxInterfaces)
    throw new CaptureError(
      'TOO_MANY_INTERFACES',
      offset,
      `section ${state.section} describes more than ${state.maxInterfaces} interfaces`,
      state.frame + 1,
    );
  const key = `${iface.linkType}|${iface.snaplen}|${iface.tsresol}|${iface.tsoffset}`;
  let shared = state.interned.get(key);
  if (!shared) {
    shared = iface;
    state.interned.set(key, iface);
  }
  state.interfaces.push(shared);
  state.interfaceCount += 1;
  if (state.allInterfaces.length < MAX_INTERFACES_LISTED) state.allInterfaces.push(shared);
}
