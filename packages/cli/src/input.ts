/**
 * Where input comes from: a file path, or `-` for standard input (captures and logs alike). A pipe is read once, as
 * it streams; nothing is read twice.
 */
import { createReadStream, statSync } from 'node:fs';
import { type CaptureReader, readCapture } from '@oaklog/pcap';
import { readCaptureFile } from '@oaklog/pcap/node';
import { NO_PROGRESS, type Progress } from './terminal';

/** Makes the progress line of one input (set once per run from the output: see `Output.progress`). */
type ProgressFactory = (name: string, totalBytes: number | undefined) => Progress;
let progressOf: ProgressFactory = () => NO_PROGRESS;

/** Where the inputs of this run report how far they are read (a terminal's progress line, or nowhere). */
export function reportProgress(factory: ProgressFactory | undefined): void {
  progressOf = factory ?? (() => NO_PROGRESS);
}

/** The progress lines not ended yet: `endProgress` ends them when the command is done, however it ended. */
const live = new Set<Progress>();

/** Ends every progress line still drawn (a read stopped early, by an error or a closed pipe, never reached its end). */
export function endProgress(): void {
  for (const p of live) p.done();
  live.clear();
}

/** The size of the file `path`, when it is one. */
function sizeOf(path: string): number | undefined {
  if (isStdin(path)) return undefined;
  try {
    return statSync(path).size;
  } catch {
    // The read itself reports a file that cannot be read.
    return undefined;
  }
}

/** The progress line of reading `path`, with the file's size when it has one. */
function progressFor(path: string, size = sizeOf(path)): Progress {
  const p = progressOf(inputName(path), size);
  live.add(p);
  return {
    read: (bytes) => p.read(bytes),
    done: () => {
      live.delete(p);
      p.done();
    },
  };
}

/** Bytes read at a time. */
export const CHUNK_BYTES = 64 * 1024;

/** Whether `path` names standard input. */
export function isStdin(path: string): boolean {
  return path === '-';
}

/** The name of an input in messages: `-` is `stdin`. */
export function inputName(path: string): string {
  return isStdin(path) ? 'stdin' : path;
}

/** The bytes of `path` (or of standard input for `-`), in chunks of 64 KiB. */
export async function* bytesOf(path: string): AsyncGenerator<Uint8Array> {
  const stream = isStdin(path) ? process.stdin : createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const progress = progressFor(path);
  let read = 0;
  try {
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      read += b.length;
      progress.read(read);
      yield new Uint8Array(b.buffer, b.byteOffset, b.length);
    }
  } finally {
    progress.done();
  }
}

/** A capture reader over `path` (with its progress line), or over standard input for `-`. */
export function captureReader(path: string): CaptureReader {
  return isStdin(path) ? readCapture(bytesOf(path)) : readCaptureFile(path, captureFileProgress(path));
}

/** `readCaptureFile`'s options that report the reading of `path`, ending the line at the end of the file. */
export function captureFileProgress(path: string): { onRead: (bytesRead: number) => void } {
  const size = sizeOf(path);
  const progress = progressFor(path, size);
  return {
    onRead: (bytesRead) => {
      progress.read(bytesRead);
      if (size !== undefined && bytesRead >= size) progress.done();
    },
  };
}
