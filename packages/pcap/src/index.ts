/** Magic number of a classic pcap file with microsecond timestamps, as written on big-endian machines. */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
