/** True when a tshark binary answers on PATH. */
export declare function hasTshark(): boolean;
/** tshark's isakmp layer (or null) for each message, each sent as its own UDP/500 datagram. */
export declare function tsharkLayers(messages: readonly Uint8Array[]): ({ readonly [field: string]: unknown } | null)[];
