/** Interface bookkeeping shared by the pcap and pcapng decoders: bounded in what the summary lists. */
import type { CaptureInterface, DecoderState } from './frames';

/** Interfaces listed in the summary; `interfaceCount` counts them all. */
export const MAX_INTERFACES_LISTED = 1000;

/** Records an interface of the current section (shared with an identical earlier one) and lists it if room remains. */
export function addInterface(state: DecoderState, iface: CaptureInterface): void {
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
