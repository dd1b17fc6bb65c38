import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readCorpusText } from '@oaklog/corpus';

/** The timed SafeNet logs of the corpus: a success, a peer that never answers, and a phase-2 proposal rejection. */
const SCENARIOS = [
  'logs/safenet-mm-psk-timed.log',
  'logs/safenet-peer-not-responding-timed.log',
  'logs/safenet-qm-no-proposal-chosen-timed.log',
];

/** A stamped line's connection name: between the time and " - ". */
const STAMPED_NAME = /^(\d\d:\d\d:\d\d\.\d{3} )[^\r\n]*? - /gm;

/** Distinct connection names the copies cycle through: many connections, and many attempts under each. */
const CONNECTIONS = 1000;

/**
 * Writes a View Log of about `targetBytes` to `path`: the corpus scenarios over and over, each copy under one of
 * `CONNECTIONS` connection names, so `diagnose` sees thousands of attempts per connection as well as many connections.
 * Returns the bytes written.
 */
export async function writeSoakLog(path: string, targetBytes: number): Promise<number> {
  const texts = SCENARIOS.map((name) => readCorpusText(name));
  const out = createWriteStream(path);
  let written = 0;
  for (let copy = 0; written < targetBytes; copy++) {
    const name = `Branch ${copy % CONNECTIONS}`;
    const text = (texts[copy % texts.length] ?? '').replace(STAMPED_NAME, `$1${name} - `);
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}
