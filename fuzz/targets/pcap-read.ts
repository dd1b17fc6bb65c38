import { readAll } from '../lib/capture-contract';

/**
 * Raw bytes as a classic pcap file (seeded with every corpus .pcap): only CaptureError escapes, one item per
 * frame, counts add up, datagram offsets point at their bytes, datagrams meet the codec contract
 * (lib/capture-contract.ts).
 */
export function fuzz(data: Uint8Array): void {
  readAll(data);
}
