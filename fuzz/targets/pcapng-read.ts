import { readAll } from '../lib/capture-contract';

/**
 * Raw bytes as a pcapng file (seeded with every corpus .pcapng, and the .pcap captures rewritten as pcapng):
 * the same capture contract as pcap-read (lib/capture-contract.ts), reached through section, interface and
 * packet blocks.
 */
export function fuzz(data: Uint8Array): void {
  readAll(data);
}
