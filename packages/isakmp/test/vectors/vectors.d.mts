/** One hand-written vector: a whole message in spaced hex and the decoded fields it must have. */
export interface Vector {
  readonly name: string;
  readonly hex: string;
  readonly expected: Record<string, unknown>;
}
/** Bytes of a hex string; whitespace is ignored. */
export declare function x(hex: string): Uint8Array;
/** Every payload vector. */
export declare const vectors: readonly Vector[];
