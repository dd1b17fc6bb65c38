import { type Diagnostic, type LogEvent, type ParseOptions, parse, parseStream } from '@oaklog/viewlog';
import { check } from '../lib/bytes';
import { textOf } from '../lib/viewlog-contract';

/**
 * Streaming equals whole-text parsing: the log (seeded with every corpus log) is fed to `parseStream` in chunks of
 * 1 to 64 characters (sizes drawn from a hash of the input, so a replay splits it the same way; `\r\n` and
 * surrogate pairs get split too) and must yield the same events and diagnostics, in order, as `parse` of the
 * whole text: with the dialect forced, and also detected when the log is short enough (64 lines) for the stream
 * to see all of it before deciding.
 */

function* chunks(text: string): Generator<string> {
  let state = 0x811c9dc5;
  for (let i = 0; i < Math.min(64, text.length); i++) state = Math.imul(state ^ text.charCodeAt(i), 0x01000193) >>> 0;
  state ||= 1;
  for (let at = 0; at < text.length; ) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const size = 1 + (state % 64);
    yield text.slice(at, at + size);
    at += size;
  }
}

async function compare(text: string, options: ParseOptions): Promise<void> {
  const whole = parse(text, options);
  const events: LogEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  for await (const entry of parseStream(chunks(text), options)) {
    events.push(entry.event);
    diagnostics.push(...entry.diagnostics);
  }
  const mode = options.dialect ? `dialect ${options.dialect}` : 'detected dialect';
  check(
    events.length === whole.events.length,
    () => `${mode}: ${events.length} streamed events, ${whole.events.length} parsed`,
  );
  events.forEach((e, i) => {
    const a = JSON.stringify(whole.events[i]);
    const b = JSON.stringify(e);
    check(a === b, () => `${mode}: event ${i} differs: parsed ${a}, streamed ${b}`);
  });
  // The same diagnostics; their order is not part of the contract (parse sorts by position, a stream cannot).
  const sorted = (list: readonly Diagnostic[]) => list.map((d) => JSON.stringify(d)).sort();
  const a = JSON.stringify(sorted(whole.diagnostics));
  const b = JSON.stringify(sorted(diagnostics));
  check(a === b, () => `${mode}: diagnostics differ: parsed ${a}, streamed ${b}`);
}

export async function fuzz(data: Uint8Array): Promise<void> {
  const text = textOf(data);
  const { dialect } = parse(text);
  await compare(text, { dialect });
  if ((text.match(/\r\n|\r|\n/g)?.length ?? 0) < 63) await compare(text, {});
}
