/**
 * Decode and encode throughput in packets per second, against a baseline that only walks the same packets' generic
 * payload headers, over messages built with the builders and over every corpus capture. `pnpm bench` prints, first, a
 * packets-per-second summary with the baseline/codec ratio measured in the same run, then vitest's tables.
 */
import { bench, describe } from 'vitest';
import { decode, encode, type Message } from '../src/index';
import { packets } from './messages';

/** Reads the header and follows the generic payload headers: the least any decoder must do. */
function walk(b: Uint8Array): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let next = v.getUint8(16);
  let at = 28;
  let n = 0;
  if (v.getUint8(19) & 1) return 1;
  while (next !== 0 && at + 4 <= b.length) {
    const length = v.getUint16(at + 2);
    if (length < 4) break;
    next = v.getUint8(at);
    at += length;
    n++;
  }
  return n;
}

/** Best of several short timed rounds (the best round is the least disturbed by other work on the machine). */
function packetsPerSecond(set: readonly Uint8Array[], fn: () => void, rounds = 8, ms = 80): number {
  for (let i = 0; i < 200; i++) fn();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let i = 0; i < 10; i++) fn();
      n += 10;
      now = performance.now();
    }
    best = Math.max(best, (n * set.length) / ((now - start) / 1000));
  }
  return best;
}

let sink = 0;

/** The three loops over one packet set. */
function loops(set: readonly Uint8Array[]) {
  const decoded: Message[] = set.map((p) => decode(p));
  return {
    walk: () => {
      for (const p of set) sink += walk(p);
    },
    decode: () => {
      for (const p of set) sink += decode(p).payloads.length;
    },
    encode: () => {
      for (const m of decoded) sink += encode(m).length;
    },
  };
}

const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} packets/s`.padStart(20);

function report(name: string, set: readonly Uint8Array[]): string[] {
  if (set.length === 0) return [`${name}: none`];
  const l = loops(set);
  const base = packetsPerSecond(set, l.walk);
  const dec = packetsPerSecond(set, l.decode);
  const enc = packetsPerSecond(set, l.encode);
  return [
    `${name}: ${set.length} packets, ${set.reduce((n, p) => n + p.length, 0)} bytes`,
    `  walk headers (baseline) ${fmt(base)}`,
    `  decode                  ${fmt(dec)}   baseline/decode = ${(base / dec).toFixed(1)}`,
    `  encode                  ${fmt(enc)}   baseline/encode = ${(base / enc).toFixed(1)}`,
  ];
}

/** Corpus datagrams through `@oaklog/pcap`; none when that package is not built yet (`pnpm bench` at the root builds it). */
async function loadCorpus(): Promise<Uint8Array[]> {
  try {
    return (await import('../test/corpus-packets')).corpusPackets();
  } catch (e) {
    console.log(`corpus captures skipped: ${(e as Error).message}`);
    return [];
  }
}

const corpus = await loadCorpus();
console.log([...report('built messages', packets), ...report('corpus captures', corpus), `(sink ${sink})`].join('\n'));

const main = loops(corpus.length > 0 ? corpus : packets);
const setName = corpus.length > 0 ? 'corpus captures' : 'built messages';

describe(`decode vs walking the generic headers (${setName})`, () => {
  bench('walk generic headers', main.walk);
  bench('decode', main.decode);
});

describe(`encode vs walking the generic headers (${setName})`, () => {
  bench('walk generic headers', main.walk);
  bench('encode', main.encode);
});
