import type { BodyCodec, Framed } from '../codec';
import { PayloadType } from '../registry';

/** LAST_FRAGMENT flag of the fragment payload. */
export const LAST_FRAGMENT = 0x01;

/** IKEv1 fragment payload (132, Cisco/strongSwan): one numbered piece of a whole ISAKMP message. */
export interface FragmentPayload extends Framed {
  /** Payload type number. */
  type: typeof PayloadType.FRAGMENT;
  /** Same for every fragment of one message. */
  fragmentId: number;
  /** 1-based position of this fragment. */
  fragmentNumber: number;
  /** The flags byte as found (`last` is its bit 0). */
  flags: number;
  /** True on the message's last fragment. */
  last: boolean;
  /** This piece of the whole message. */
  data: Uint8Array;
}

/**
 * Fragment payload (Cisco IKEv1 fragmentation, as strongSwan and libreswan send it):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !          Fragment ID          !  Fragment #   !     Flags     !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Fragment Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const fragmentBody: BodyCodec<FragmentPayload> = {
  name: 'fragment payload',
  min: 4,
  decode(r) {
    const fragmentId = r.u16();
    const fragmentNumber = r.u8();
    const flags = r.u8();
    return {
      type: PayloadType.FRAGMENT,
      fragmentId,
      fragmentNumber,
      flags,
      last: (flags & LAST_FRAGMENT) !== 0,
      data: r.rest(),
    };
  },
  encode(w, p) {
    w.u16(p.fragmentId, 'fragment ID');
    w.u8(p.fragmentNumber, 'fragment number');
    w.u8(p.flags, 'fragment flags');
    w.raw(p.data);
  },
  length: (p) => 4 + p.data.length,
};
