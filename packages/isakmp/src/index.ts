/** ISAKMP payload types (RFC 2408 3.1, plus the NAT-T drafts and IKE fragmentation). */
export const PayloadType = { NONE: 0, SA: 1, PROPOSAL: 2, TRANSFORM: 3, KE: 4, ID: 5 } as const;
