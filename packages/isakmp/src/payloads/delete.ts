import type { BodyCodec, Framed } from '../codec';
import { PayloadType } from '../registry';

/** Delete payload (12): several SPIs of one protocol. `spiCount` appears only when the wire count disagrees. */
export interface DeletePayload extends Framed {
  /** Payload type number. */
  type: typeof PayloadType.DELETE;
  /** Domain of interpretation (`Doi`). */
  doi: number;
  /** Protocol of the SAs (`ProtocolId`). */
  protocolId: number;
  /** Size of each SPI. */
  spiSize: number;
  /** The SPIs, each `spiSize` bytes. */
  spis: Uint8Array[];
  /** The SPI count as found, only when it differs from `spis.length` (an SPI size of 0 with a non-zero count). */
  spiCount?: number;
}

/**
 * Delete payload (RFC 2408 3.15):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Security Parameter Index(es) (SPI)              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const deleteBody: BodyCodec<DeletePayload> = {
  name: 'delete payload',
  min: 8,
  decode(r) {
    const doi = r.u32();
    const protocolId = r.u8();
    const spiSize = r.u8();
    const countAt = r.pos;
    const count = r.u16();
    r.need(count * spiSize, `${count} SPIs of ${spiSize} bytes`, 'BAD_COUNT', countAt);
    const spis: Uint8Array[] = [];
    if (spiSize > 0) for (let i = 0; i < count; i++) spis.push(r.take(spiSize));
    const p: DeletePayload = { type: PayloadType.DELETE, doi, protocolId, spiSize, spis };
    if (spis.length !== count) {
      p.spiCount = count;
      r.warn('COUNT_MISMATCH', countAt, `${count} SPIs of size 0`);
    }
    return p;
  },
  encode(w, p) {
    w.u32(p.doi);
    w.u8(p.protocolId);
    w.u8(p.spiSize, 'SPI size');
    w.u16(p.spiCount ?? p.spis.length, 'SPI count');
    for (const spi of p.spis) {
      if (spi.length !== p.spiSize) throw new RangeError(`delete SPI of ${spi.length} bytes, SPI size ${p.spiSize}`);
      w.raw(spi);
    }
  },
  length(p) {
    let n = 8;
    for (const spi of p.spis) n += spi.length;
    return n;
  },
};
