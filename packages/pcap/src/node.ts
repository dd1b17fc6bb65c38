import { readFile } from 'node:fs/promises';

/** Reads a whole capture file (placeholder until the streaming reader lands). */
export async function readCaptureBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}
