/**
 * Seeds for every target, taken from `corpus/`: every log, every capture, and (once the pcap reader can extract
 * them) every IKE datagram inside the captures. Crash inputs saved in `corpus/regressions/<target>/` are seeds too,
 * and the replay tests run them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { corpusRoot, listCaptures, listLogs, readCorpusBytes } from '@oaklog/corpus';
import { LinkType, readCaptureBytes, readFramesFromBytes, writeCapture, writeUdpCapture } from '@oaklog/pcap';

/** One seed input and where it came from (a path relative to `corpus/`, or a generator name). */
export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const SKIP_DIRS = new Set(['node_modules', 'regressions', 'src', 'test', 'tools', '.work', '.turbo']);

/** Files under `corpus/` with one of the extensions, plus the manifest's entries, deduplicated, in path order. */
function corpusFiles(extensions: readonly string[], fromManifest: readonly string[]): string[] {
  const found = new Set(fromManifest.filter((path) => existsSync(join(corpusRoot, path))));
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (extensions.includes(extname(entry.name))) {
        found.add(relative(corpusRoot, path));
      }
    }
  };
  walk(corpusRoot);
  return [...found].sort();
}

function fromFiles(paths: readonly string[]): Seed[] {
  return paths.map((path) => ({ name: path, bytes: readCorpusBytes(path) }));
}

/** Every View Log in the corpus. */
export function logSeeds(): Seed[] {
  return fromFiles(
    corpusFiles(
      ['.log', '.txt'],
      listLogs().map((log) => log.path),
    ),
  );
}

/** Every capture file in the corpus of one format. */
export function captureSeeds(format: 'pcap' | 'pcapng'): Seed[] {
  const manifest = listCaptures()
    .filter((capture) => capture.format === format)
    .map((capture) => capture.path);
  return fromFiles(corpusFiles([`.${format}`], manifest));
}

/** Every IKE datagram (non-ESP marker removed) of every corpus capture, deduplicated. */
export function ikeDatagramSeeds(): Seed[] {
  const seen = new Set<string>();
  const seeds: Seed[] = [];
  for (const capture of [...captureSeeds('pcap'), ...captureSeeds('pcapng')]) {
    try {
      for (const item of readCaptureBytes(capture.bytes)) {
        if (item.kind !== 'ike' || item.truncated) continue;
        const key = Buffer.from(item.bytes).toString('base64');
        if (seen.has(key)) continue;
        seen.add(key);
        seeds.push({ name: `${capture.name}#frame${item.frame}`, bytes: item.bytes.slice() });
      }
    } catch {
      // A capture the reader rejects still seeds the pcap targets; it just has no datagrams for these.
    }
  }
  return seeds;
}

/** A corpus capture rewritten in the other container format (same frames, link type and times). */
function rewritten(seed: Seed, format: 'pcap' | 'pcapng', bigEndian: boolean): Seed | undefined {
  try {
    const frames = [...readFramesFromBytes(seed.bytes)].flatMap((e) => (e.kind === 'frame' ? [e] : []));
    const first = frames[0];
    if (!first) return undefined;
    const packets = frames.map((f) => ({
      time: f.time ?? { seconds: 0, nanoseconds: 0 },
      data: f.data,
      originalLength: f.originalLength,
    }));
    const bytes = writeCapture(packets, {
      format,
      linkType: first.linkType,
      bigEndian,
      interfaces: [{ linkType: first.linkType }],
    });
    return { name: `${seed.name} as ${bigEndian ? 'big-endian ' : ''}${format}`, bytes };
  } catch {
    return undefined;
  }
}

/**
 * Small captures written from a few corpus datagrams over every link type the reader knows, IPv4 and IPv6,
 * NAT-T (non-ESP marker on 4500), IP fragmentation and both byte orders: starting points for the paths the
 * corpus captures (all Ethernet/SLL IPv4) do not take.
 */
function synthesizedCaptures(format: 'pcap' | 'pcapng'): Seed[] {
  const datagrams = ikeDatagramSeeds()
    .filter((d) => d.bytes.length < 700)
    .slice(0, 3)
    .map((d) => d.bytes);
  if (datagrams.length === 0) return [];
  const links = [
    LinkType.ETHERNET,
    LinkType.LINUX_SLL,
    LinkType.LINUX_SLL2,
    LinkType.RAW,
    LinkType.NULL,
    LinkType.LOOP,
  ];
  const seeds: Seed[] = [];
  for (const [i, linkType] of links.entries()) {
    for (const v6 of [false, true]) {
      const natT = i % 2 === 1;
      const fragment = i % 3 === 0;
      const time = { seconds: 1_700_000_000 + i, nanoseconds: 123_456_000 };
      const spec = datagrams.map((payload, k) => ({
        src: v6 ? '2001:db8::1' : '192.0.2.1',
        dst: v6 ? '2001:db8::2' : '198.51.100.2',
        srcPort: natT ? 4500 : 500,
        dstPort: natT ? 4500 : 500,
        payload,
        nonEspMarker: natT,
        id: 100 + k,
        time,
        ...(fragment ? { mtu: v6 ? 1280 : 576 } : {}),
      }));
      try {
        const bytes = writeUdpCapture(spec, {
          format,
          linkType,
          interfaces: [{ linkType }],
          bigEndian: v6,
          nanoseconds: i % 2 === 0,
        });
        seeds.push({ name: `synthesized ${format} link ${linkType} ${v6 ? 'IPv6' : 'IPv4'}`, bytes });
      } catch {
        // a combination the writer refuses is simply not a seed
      }
    }
  }
  return seeds;
}

/** Every capture of one format: the corpus files, the other format's files rewritten, and synthesized ones. */
function allCaptures(format: 'pcap' | 'pcapng'): Seed[] {
  const other = captureSeeds(format === 'pcap' ? 'pcapng' : 'pcap');
  return [
    ...captureSeeds(format),
    ...other.flatMap((seed) =>
      [rewritten(seed, format, false), rewritten(seed, format, true)].filter((x) => x !== undefined),
    ),
    ...synthesizedCaptures(format),
  ];
}

/** Every key file of the corpus: the per-IKE-SA JSON and Wireshark decryption tables next to the captures. */
export function keyFileSeeds(): Seed[] {
  const paths = listCaptures().flatMap((c) => [c.keys, c.wiresharkKeys].filter((p) => p !== undefined));
  return fromFiles([...new Set(paths)].filter((path) => existsSync(join(corpusRoot, path))).sort());
}

/** Named seed generators a target can point at from `targets.ts`. */
export const seedSources = {
  logs: logSeeds,
  pcap: () => allCaptures('pcap'),
  pcapng: () => allCaptures('pcapng'),
  ike: ikeDatagramSeeds,
  captures: () => [...allCaptures('pcap'), ...allCaptures('pcapng')],
  keys: keyFileSeeds,
  none: (): Seed[] => [],
} satisfies Record<string, () => Seed[]>;

/** Folder of the saved crash inputs of a target. */
export function regressionDir(target: string): string {
  return join(corpusRoot, 'regressions', target);
}

/** Saved crash inputs of a target (every file in its regressions folder except notes). */
export function regressionSeeds(target: string): Seed[] {
  const dir = regressionDir(target);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => !file.endsWith('.md') && statSync(join(dir, file)).isFile())
    .sort()
    .map((file) => ({ name: `regressions/${target}/${file}`, bytes: new Uint8Array(readFileSync(join(dir, file))) }));
}
