import { CaptureError, type CaptureItem, readCapture, readCaptureBytes } from '@oaklog/pcap';
import { check } from '../lib/bytes';

/**
 * Streaming equals whole-buffer reading: the capture (pcap or pcapng; seeded with both) is fed to `readCapture`
 * in chunks of 1 to 64 bytes (sizes drawn from a hash of the input, so a replay splits it the same way), and
 * must yield exactly the items and summary `readCaptureBytes` gives for the whole buffer, or the same
 * CaptureError after the same items. The one async target (streaming is async by nature).
 */

function describe(item: CaptureItem): string {
  // Look at the raw value (`this[key]`): a Buffer (what Jazzer.js passes) has already gone through its toJSON.
  return JSON.stringify(item, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? Buffer.from(raw).toString('hex') : value;
  });
}

function* chunks(data: Uint8Array): Generator<Uint8Array> {
  let state = 0x811c9dc5;
  for (const byte of data.subarray(0, 64)) state = Math.imul(state ^ byte, 0x01000193) >>> 0;
  state ||= 1;
  for (let at = 0; at < data.length; ) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const size = 1 + (state % 64);
    yield data.slice(at, at + size);
    at += size;
  }
}

function errorOf(error: unknown): string {
  if (error instanceof CaptureError) return `CaptureError ${error.code} at ${error.offset}`;
  throw error;
}

export async function fuzz(data: Uint8Array): Promise<void> {
  const whole: string[] = [];
  const reader = readCaptureBytes(data);
  let wholeError = '';
  try {
    for (const item of reader) whole.push(describe(item));
  } catch (error) {
    wholeError = errorOf(error);
  }

  const streamed: string[] = [];
  const stream = readCapture(chunks(data));
  let streamError = '';
  try {
    for await (const item of stream) streamed.push(describe(item));
  } catch (error) {
    streamError = errorOf(error);
  }

  const n = Math.max(whole.length, streamed.length);
  for (let i = 0; i < n; i++) {
    check(whole[i] === streamed[i], () => `item ${i}: whole buffer ${whole[i]}, streamed ${streamed[i]}`);
  }
  check(
    wholeError === streamError,
    () => `whole buffer ${wholeError || 'no error'}, streamed ${streamError || 'no error'}`,
  );
  if (!wholeError) {
    const a = JSON.stringify(reader.summary);
    const b = JSON.stringify(stream.summary);
    check(a === b, () => `summaries differ: whole ${a}, streamed ${b}`);
  }
}
