/**
 * `@oaklog/pcap`: streaming pcap/pcapng reader and writer with link-layer, IP (reassembly) and UDP demux down to IKE
 * datagrams. Browser-safe; the Node file helper is in `@oaklog/pcap/node`.
 */

export { formatIpv4, formatIpv6 } from '@oaklog/common';
export {
  type CaptureBytesReader,
  type CaptureItem,
  type CaptureReader,
  type CaptureSummary,
  type IkeDatagram,
  type MalformedReason,
  type MalformedRecord,
  malformedReasons,
  type ReadCaptureOptions,
  readCapture,
  readCaptureBytes,
  type SkippedRecord,
  type SkipReason,
  skipReasons,
} from './capture';
export { CaptureError, type CaptureErrorCode } from './errors';
export {
  type ByteStreamLike,
  type CaptureFrame,
  type CaptureInput,
  type CaptureInterface,
  type FrameEvent,
  type FrameProblem,
  type FrameProblemReason,
  type FrameReaderOptions,
  type FrameSkip,
  type FrameSkipReason,
  readFrames,
  readFramesFromBytes,
} from './frames';
export {
  type IpFragmentInfo,
  type IpHeader,
  type IpProblem,
  type IpProblemReason,
  IpProtocol,
  type Ipv6Chain,
} from './ip';
export { type LinkResult, LinkType } from './link';
export {
  encodePcapHeader,
  encodePcapRecord,
  PCAP_MAGIC_MICROSECONDS,
  PCAP_MAGIC_NANOSECONDS,
  type PcapWriterOptions,
  type WritePacket,
} from './pcap';
export {
  encodePcapngInterface,
  encodePcapngPacket,
  encodePcapngSectionHeader,
  PcapngBlockType,
  type PcapngInterfaceOptions,
  type PcapngWriterOptions,
  timeAtResolution,
} from './pcapng';
export {
  createIpReassembler,
  type DiscardedDatagram,
  type FragmentPiece,
  type IpReassembler,
  type ReassemblyDropReason,
  type ReassemblyOptions,
  type ReassemblyResult,
} from './reassembly';
export { type CaptureTime, ticksToTime, timeToTicks } from './time';
export type { IkePorts, QuotedIke, UdpDemux } from './udp';
export {
  type CaptureFormat,
  type CaptureWriter,
  type CaptureWriterOptions,
  createCaptureWriter,
  encodeLinkFrame,
  encodeUdpPacket,
  fragmentIpPacket,
  type LinkFrameOptions,
  parseIpv4Address,
  parseIpv6Address,
  type TimedDatagram,
  type UdpDatagramSpec,
  writeCapture,
  writeUdpCapture,
} from './writer';
