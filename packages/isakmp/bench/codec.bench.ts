/**
 * Decode and encode throughput in packets per second, against a baseline that only walks the same packets' generic
 * payload headers. `pnpm bench` prints vitest's table (with "x times slower than" ratios per group) and, first, a
 * packets-per-second summary measured in the same run.
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

const decoded: Message[] = packets.map((p) => decode(p));
let sink = 0;

const walkAll = () => {
  for (const p of packets) sink += walk(p);
};
const decodeAll = () => {
  for (const p of packets) sink += decode(p).payloads.length;
};
const encodeAll = () => {
  for (const m of decoded) sink += encode(m).length;
};

function packetsPerSecond(fn: () => void, ms = 400): number {
  for (let i = 0; i < 200; i++) fn();
  let rounds = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 50; i++) fn();
    rounds += 50;
    now = performance.now();
  }
  return (rounds * packets.length) / ((now - start) / 1000);
}

const base = packetsPerSecond(walkAll);
const dec = packetsPerSecond(decodeAll);
const enc = packetsPerSecond(encodeAll);
const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} packets/s`;
console.log(
  [
    `${packets.length} packets, ${packets.reduce((n, p) => n + p.length, 0)} bytes per round`,
    `walk (baseline): ${fmt(base)}`,
    `decode:          ${fmt(dec)}  (${(base / dec).toFixed(1)}x the baseline's time per packet)`,
    `encode:          ${fmt(enc)}  (${(base / enc).toFixed(1)}x the baseline's time per packet)`,
    `(sink ${sink > 0 ? 'ok' : '0'})`,
  ].join('\n'),
);

describe('decode vs walking the generic headers', () => {
  bench('walk generic headers', walkAll, { baseline: true } as never);
  bench('decode', decodeAll);
});

describe('encode vs walking the generic headers', () => {
  bench('walk generic headers', walkAll);
  bench('encode', encodeAll);
});
