/**
 * Differential test against Wireshark: every corpus capture and every fixture must read with tshark's frame count and the
 * same frames classified as IKE, non-ESP-marker IKE, NAT-keepalive, ESP-in-UDP and ICMP-quoted IKE. Goldens are committed
 * (test/make-tshark-goldens.mjs); when tshark is on PATH the same comparison also runs live.
 */

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath, listCaptures } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import type { CaptureItem, CaptureSummary } from '../src/index';
import { readCaptureFile } from '../src/node';
import { haveTshark, type TsharkCounts, tsharkCounts } from './tshark-counts.mjs';

const here = import.meta.dirname;
const fixtures = join(here, 'fixtures');

interface Case {
  readonly name: string;
  readonly path: string;
  readonly expect?: { readonly frames?: number; readonly isakmpPackets?: number };
  /** A capture another project published (its test suite's files include fuzzed ones). */
  readonly published?: boolean;
}

const cases: Case[] = [
  ...listCaptures().map((c) => ({
    name: c.name,
    path: corpusPath(c.path),
    published: c.provenance?.kind === 'published',
    ...('expect' in c ? { expect: (c as { expect: Case['expect'] }).expect } : {}),
  })),
  ...readdirSync(fixtures)
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .sort()
    .map((f) => ({ name: `fixture-${f.replace('.', '-')}`, path: join(fixtures, f) })),
];

/**
 * Published captures on which our reader and tshark classify a frame differently: product bugs (or decisions still to
 * make), reported, not fixed here. Each test they break is run with `it.fails`, so fixing the reader shows up as a
 * failure that asks for the entry to go.
 */
const KNOWN_PRODUCT_BUGS: Readonly<Record<string, string>> = {
  'tcpdump-isakmp-delete-segfault':
    'frame 1: UDP length 456 > IP payload 146: tshark dissects the 138 bytes there as ISAKMP (and flags the bad ' +
    'length); we drop the frame as malformed bad-udp-length, so view prints nothing for an ISAKMP datagram tshark shows',
  'tcpdump-isakmp-pointer-loop':
    'frame 1: 30 bytes on UDP 500/500 whose ISAKMP length field is 0: tshark does not call it ISAKMP (udp:data), we ' +
    'hand it on as an IKE datagram (short-ike applies only to payloads under 28 bytes, not to a length field under 28); ' +
    'the bridge then calls it undecodable (no View Log line)',
};
const itUnlessKnown = (c: Case) => (KNOWN_PRODUCT_BUGS[c.name] === undefined ? it : it.fails);

const live = haveTshark();
/**
 * tshark takes about a second per file on a loaded machine, so by default the live comparison covers a fixed sample
 * (one fixture per container and the first corpus captures); PCAP_TSHARK_LIVE=all runs it for every case. Cases whose
 * golden is missing or stale always run live.
 */
const liveSample = new Set([
  'fixture-any-sll-snap120-pcap',
  'fixture-two-sections-pcapng',
  ...listCaptures()
    .slice(0, 1)
    .map((c) => c.name),
]);
const liveAll = process.env.PCAP_TSHARK_LIVE === 'all';

type Ours = { counts: TsharkCounts; items: CaptureItem[]; summary: CaptureSummary };
const readings = new Map<string, Promise<Ours>>();

/** Our reading of a capture, streamed from disk in 4 KiB chunks (computed once per file). */
function ours(path: string): Promise<Ours> {
  let r = readings.get(path);
  if (!r) {
    r = read(path);
    readings.set(path, r);
  }
  return r;
}

async function read(path: string): Promise<Ours> {
  const reader = readCaptureFile(path, { chunkSize: 4096 });
  const items: CaptureItem[] = [];
  for await (const item of reader) items.push(item);
  const framesWhere = (p: (i: CaptureItem) => boolean) => items.filter(p).map((i) => i.frame);
  const counts: TsharkCounts = {
    frames: reader.summary.frames,
    ikeFrames: framesWhere((i) => i.kind === 'ike'),
    nonEspMarkerFrames: framesWhere((i) => i.kind === 'ike' && i.nonEspMarker),
    natKeepaliveFrames: framesWhere((i) => i.kind === 'skipped' && i.reason === 'nat-keepalive'),
    espInUdpFrames: framesWhere((i) => i.kind === 'skipped' && i.reason === 'esp'),
    icmpQuotedIkeFrames: framesWhere((i) => i.kind === 'skipped' && i.reason === 'icmp-quoted-ike'),
  };
  return { counts, items, summary: reader.summary };
}

function golden(c: Case): (TsharkCounts & { sha256: string }) | undefined {
  const file = join(here, 'goldens', `${c.name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function strip(g: TsharkCounts): TsharkCounts {
  const { frames, ikeFrames, nonEspMarkerFrames, natKeepaliveFrames, espInUdpFrames, icmpQuotedIkeFrames } = g;
  return { frames, ikeFrames, nonEspMarkerFrames, natKeepaliveFrames, espInUdpFrames, icmpQuotedIkeFrames };
}

describe.each(cases)('$name', (c) => {
  itUnlessKnown(c)('matches the committed tshark golden', async () => {
    const g = golden(c);
    if (!g || g.sha256 !== sha256(c.path)) {
      // A capture landed (or changed) after the goldens were made: compare with tshark directly, or fail loudly.
      expect(live, `no current golden for ${c.name}: run node test/make-tshark-goldens.mjs`).toBe(true);
      expect((await ours(c.path)).counts).toEqual(tsharkCounts(c.path));
      return;
    }
    expect((await ours(c.path)).counts).toEqual(strip(g));
  });

  it.runIf(live && (liveAll || liveSample.has(c.name)))('matches tshark run live', async () => {
    expect((await ours(c.path)).counts).toEqual(tsharkCounts(c.path));
  });

  it('accounts for every frame exactly once', async () => {
    const { items, summary } = await ours(c.path);
    const frameItems = items.filter((i) => !(i.kind === 'malformed' && i.reason === 'truncated-record'));
    expect(frameItems.map((i) => i.frame)).toEqual(Array.from({ length: summary.frames }, (_, k) => k + 1));
    expect(summary.ike + summary.skipped + summary.malformed).toBe(summary.frames);
    expect(Object.values(summary.reasons).reduce((a, b) => a + b, 0)).toBe(summary.skipped + summary.malformed);
    expect(summary.done).toBe(true);
    for (const item of items) {
      if (item.kind !== 'ike') continue;
      // Every IKE datagram starts with an ISAKMP header whose length field covers the bytes we hand on. (A published
      // capture may carry a fuzzed length field: the reader hands on the UDP payload, the codec judges the length.)
      if (item.truncated || c.published) continue;
      expect(item.bytes.length).toBeGreaterThanOrEqual(28);
      const declared = new DataView(item.bytes.buffer, item.bytes.byteOffset).getUint32(24);
      expect(declared).toBe(item.bytes.length);
    }
  });

  (c.expect?.frames === undefined ? it.skip : itUnlessKnown(c))(
    'matches the corpus manifest expectations',
    async () => {
      const { summary } = await ours(c.path);
      expect(summary.frames).toBe(c.expect?.frames);
      if (c.expect?.isakmpPackets !== undefined) expect(summary.ike).toBe(c.expect.isakmpPackets);
    },
  );
});
