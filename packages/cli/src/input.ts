/**
 * Where input comes from: a file path, or `-` for standard input (captures and logs alike). A pipe is read once, as
 * it streams; nothing is read twice.
 */
import { createReadStream } from 'node:fs';
import { type CaptureReader, readCapture } from '@oaklog/pcap';
import { readCaptureFile } from '@oaklog/pcap/node';

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
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    yield new Uint8Array(b.buffer, b.byteOffset, b.length);
  }
}

/** A capture reader over `path`, or over standard input for `-`. */
export function captureReader(path: string): CaptureReader {
  return isStdin(path) ? readCapture(bytesOf(path)) : readCaptureFile(path);
}
