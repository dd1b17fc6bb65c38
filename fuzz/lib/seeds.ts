/**
 * Seeds for every target, taken from `corpus/`: every log, every capture, and (once the pcap reader can extract
 * them) every IKE datagram inside the captures. Crash inputs saved in `corpus/regressions/<target>/` are seeds too,
 * and the replay tests run them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { corpusRoot, listCaptures, listLogs, readCorpusBytes } from '@oaklog/corpus';
import { readCaptureBytes } from '@oaklog/pcap';

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

/** Named seed generators a target can point at from `targets.ts`. */
export const seedSources = {
  logs: logSeeds,
  pcap: () => captureSeeds('pcap'),
  pcapng: () => captureSeeds('pcapng'),
  ike: ikeDatagramSeeds,
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
