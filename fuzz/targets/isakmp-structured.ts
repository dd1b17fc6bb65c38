import { ByteSource } from '../lib/bytes';
import { buildDatagram } from '../lib/isakmp-builder';
import { checkDatagram } from '../lib/isakmp-contract';

/**
 * Structure-aware: the input chooses a plausible datagram (valid header, computed lengths, SA → proposal →
 * transform → attributes, notifications, IDs, mode-config, fragments; sometimes broken on purpose), which must
 * then meet the same codec contract as raw bytes (lib/isakmp-contract.ts).
 */
export function fuzz(data: Uint8Array): void {
  checkDatagram(buildDatagram(new ByteSource(data)));
}
