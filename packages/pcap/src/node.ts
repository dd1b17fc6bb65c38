/** `@oaklog/pcap/node`: Node-only helpers that read capture files from disk as streams. */
import { createReadStream } from 'node:fs';
import { type CaptureReader, type ReadCaptureOptions, readCapture } from './capture';
import { CaptureError } from './errors';
import { type FrameEvent, type FrameReaderOptions, readFrames } from './frames';

/** Options of `readCaptureFile`: those of `readCapture` plus the read chunk size. */
export interface ReadCaptureFileOptions extends ReadCaptureOptions {
  /** Bytes per read. Default 64 KiB. */
  readonly chunkSize?: number;
  /** Called after each read with the bytes read so far (e.g. for a progress line). */
  readonly onRead?: (bytesRead: number) => void;
}

/** Reads `path` in chunks; a failed open or read (missing file, permissions, I/O) becomes an IO_ERROR CaptureError. */
async function* stream(
  path: string,
  chunkSize: number | undefined,
  onRead?: (bytesRead: number) => void,
): AsyncGenerator<Uint8Array> {
  let offset = 0;
  const file = createReadStream(path, { highWaterMark: chunkSize ?? 64 * 1024 });
  try {
    for await (const chunk of file as AsyncIterable<Uint8Array>) {
      offset += chunk.length;
      onRead?.(offset);
      yield chunk;
    }
  } catch (error) {
    const what = error instanceof Error ? error.message : String(error);
    throw new CaptureError('IO_ERROR', offset, `cannot read ${path}: ${what}`, undefined, error);
  } finally {
    file.destroy();
  }
}

/** Streams a capture file from disk through `readCapture`; memory does not grow with the file. */
export function readCaptureFile(path: string, options: ReadCaptureFileOptions = {}): CaptureReader {
  return readCapture(stream(path, options.chunkSize, options.onRead), options);
}

/** Streams the frames of a capture file from disk. */
export function readCaptureFileFrames(
  path: string,
  options: FrameReaderOptions & { readonly chunkSize?: number } = {},
): AsyncGenerator<FrameEvent> {
  return readFrames(stream(path, options.chunkSize), options);
}
