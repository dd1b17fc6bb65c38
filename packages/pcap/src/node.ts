/** `@oaklog/pcap/node`: Node-only helpers that read capture files from disk as streams. */
import { createReadStream } from 'node:fs';
import { type CaptureReader, type ReadCaptureOptions, readCapture } from './capture';
import { type FrameEvent, type FrameReaderOptions, readFrames } from './frames';

/** Options of `readCaptureFile`: those of `readCapture` plus the read chunk size. */
export interface ReadCaptureFileOptions extends ReadCaptureOptions {
  /** Bytes per read. Default 64 KiB. */
  readonly chunkSize?: number;
}

function stream(path: string, chunkSize: number | undefined): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: chunkSize ?? 64 * 1024 });
}

/** Streams a capture file from disk through `readCapture`; memory does not grow with the file. */
export function readCaptureFile(path: string, options: ReadCaptureFileOptions = {}): CaptureReader {
  return readCapture(stream(path, options.chunkSize), options);
}

/** Streams the frames of a capture file from disk. */
export function readCaptureFileFrames(
  path: string,
  options: FrameReaderOptions & { readonly chunkSize?: number } = {},
): AsyncGenerator<FrameEvent> {
  return readFrames(stream(path, options.chunkSize), options);
}
