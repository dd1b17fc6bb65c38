import type { Vector } from './vectors.d.mts';
/** Every IKEv2 vector. */
export declare const ikev2Vectors: readonly Vector[];
