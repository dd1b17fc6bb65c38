/** True when a tshark binary answers on PATH. */
export declare function hasTshark(): boolean;
/** tshark's isakmp layer (or null) for each message, each sent as its own UDP/500 datagram. */
export declare function tsharkLayers(messages: readonly Uint8Array[]): ({ readonly [field: string]: unknown } | null)[];
/** The exchange name and top-level notify names tshark shows for each message (from `-T pdml`). */
export declare function tsharkNames(messages: readonly Uint8Array[]): { exchange: string; notifies: string[] }[];
