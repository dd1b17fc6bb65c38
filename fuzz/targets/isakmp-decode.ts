import { checkDatagram } from '../lib/isakmp-contract';

/**
 * Raw bytes as one ISAKMP datagram: only `DecodeError` may escape `decode`, and whatever decodes re-encodes byte
 * for byte (see lib/isakmp-contract.ts). Seeds: every IKE datagram of every corpus capture.
 */
export function fuzz(data: Uint8Array): void {
  checkDatagram(data);
}
