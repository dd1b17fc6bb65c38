/** pcap bytes (raw IPv4, linktype 101) holding one UDP datagram per message. */
export declare function pcapOf(messages: readonly Uint8Array[], options?: { port?: number }): Uint8Array;
