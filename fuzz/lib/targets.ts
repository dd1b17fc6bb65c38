/**
 * What the runner, the nightly job and the replay tests need to know about each target in `targets/`: which package
 * it exercises (its `dist/` is what Jazzer.js instruments), which source files are "the parser" for the coverage
 * table, which dictionary it uses, and where its seeds come from.
 */
import type { seedSources } from './seeds';

/** Packages a target can exercise. */
export type TargetPackage = 'isakmp' | 'pcap' | 'viewlog' | 'crypto' | 'bridge';

/** Metadata of one fuzz target. */
export interface TargetInfo {
  /** One sentence: what the target feeds in and which contract it checks. */
  readonly description: string;
  /** The package under test; its built `dist/` is instrumented. */
  readonly package: TargetPackage;
  /** Other packages the target calls into (instrumented too, not counted in its coverage). */
  readonly alsoInstrument?: readonly TargetPackage[];
  /** Source files, relative to `packages/<package>/`, whose line coverage the README reports for this target. */
  readonly parser: readonly string[];
  /** Dictionary file in `fuzz/dictionaries/`. */
  readonly dictionary: string;
  /** libFuzzer `-max_len`. */
  readonly maxLen: number;
  /** True when `fuzz` returns a promise (Jazzer.js then runs without --sync). */
  readonly async?: boolean;
  /** Which seed generator of `seeds.ts` fills its starting corpus. */
  readonly seeds: keyof typeof seedSources;
  /**
   * Mutated inputs a smoke run asks for after its seeds (default 300: well under a second for most targets, a few for the viewlog ones). Set lower
   * for a slow target, so the smoke run costs what it costs whatever the load, and still fuzzes.
   */
  readonly smokeMutations?: number;
}

/** Every target, keyed by its file name in `targets/` without `.ts`. */
/** The isakmp codec's own files (not the builders, views or vendor-ID tables). */
const ISAKMP_CODEC = [
  'src/message.ts',
  'src/header.ts',
  'src/payload.ts',
  'src/codec.ts',
  'src/reader.ts',
  'src/writer.ts',
  'src/attributes.ts',
  'src/payloads/sa.ts',
  'src/payloads/id.ts',
  'src/payloads/cert.ts',
  'src/payloads/config.ts',
  'src/payloads/delete.ts',
  'src/payloads/fragment.ts',
  'src/payloads/nat-oa.ts',
  'src/payloads/notification.ts',
  'src/payloads/opaque.ts',
];

/** The View Log grammar (parse.ts and the stages d29cab3 split out of it), its line index, diagnostics and printer. */
const VIEWLOG_PARSER = [
  'src/parse.ts',
  'src/lines.ts',
  'src/dialect.ts',
  'src/frames.ts',
  'src/prefix.ts',
  'src/rules.ts',
  'src/canonical.ts',
  'src/ike.ts',
  'src/line-index.ts',
  'src/diagnostics.ts',
  'src/format.ts',
];

/** The capture pipeline every container format goes through after its frames are read. */
const CAPTURE_PIPELINE = ['src/frames.ts', 'src/capture.ts', 'src/link.ts', 'src/ip.ts', 'src/udp.ts'];

export const targets = {
  'pcap-read': {
    description:
      'Raw bytes as a pcap file: only CaptureError escapes, one item per frame, counts add up, offsets true.',
    package: 'pcap',
    alsoInstrument: ['isakmp'],
    parser: ['src/pcap.ts', ...CAPTURE_PIPELINE],
    dictionary: 'pcap.dict',
    maxLen: 16384,
    seeds: 'pcap',
  },
  'pcapng-read': {
    description: 'Raw bytes as a pcapng file: the same capture contract through section, interface and packet blocks.',
    package: 'pcap',
    alsoInstrument: ['isakmp'],
    parser: ['src/pcapng.ts', ...CAPTURE_PIPELINE],
    dictionary: 'pcap.dict',
    maxLen: 16384,
    seeds: 'pcapng',
  },
  'pcap-stream': {
    description: 'A capture fed in 1-64 byte chunks to readCapture yields exactly what readCaptureBytes gives.',
    package: 'pcap',
    parser: ['src/frames.ts', 'src/capture.ts'],
    dictionary: 'pcap.dict',
    maxLen: 16384,
    async: true,
    seeds: 'captures',
  },
  'ip-reassembly': {
    description: 'IPv4/IPv6 fragment pieces in any order, overlapping, repeated or lying, checked against a model.',
    package: 'pcap',
    parser: ['src/reassembly.ts'],
    dictionary: 'pcap.dict',
    maxLen: 2048,
    seeds: 'none',
  },
  'isakmp-decode': {
    description: 'Raw bytes as one ISAKMP datagram: only DecodeError escapes; what decodes re-encodes byte-exact.',
    package: 'isakmp',
    parser: ISAKMP_CODEC,
    dictionary: 'isakmp.dict',
    maxLen: 4096,
    seeds: 'ike',
  },
  'isakmp-structured': {
    description:
      'Input-chosen plausible datagrams (valid header, computed lengths, deep payloads) under the codec contract.',
    package: 'isakmp',
    parser: ISAKMP_CODEC,
    dictionary: 'isakmp.dict',
    maxLen: 2048,
    seeds: 'none',
  },
  'isakmp-fragments': {
    description: 'IKE fragment reassembly in any order with duplicates and conflicts, checked against a model.',
    package: 'isakmp',
    parser: ['src/reassembly.ts', 'src/payloads/fragment.ts'],
    dictionary: 'isakmp.dict',
    maxLen: 2048,
    seeds: 'none',
  },
  'viewlog-parse': {
    description:
      'Raw bytes as a View Log: parse never throws, prints back byte-exact, diagnostics point inside the text.',
    package: 'viewlog',
    parser: VIEWLOG_PARSER,
    dictionary: 'viewlog.dict',
    maxLen: 8192,
    seeds: 'logs',
  },
  'viewlog-stream': {
    description: 'A log fed to parseStream in 1-64 character chunks yields the events and diagnostics parse gives.',
    package: 'viewlog',
    parser: ['src/stream.ts', 'src/parse.ts', 'src/lines.ts'],
    dictionary: 'viewlog.dict',
    maxLen: 8192,
    async: true,
    seeds: 'logs',
  },
  'viewlog-structured': {
    description:
      'Input-chosen logs of every dialect from the OAK vocabulary, lightly damaged, under the same contract.',
    package: 'viewlog',
    parser: VIEWLOG_PARSER,
    dictionary: 'viewlog.dict',
    maxLen: 2048,
    seeds: 'none',
  },
  'key-files': {
    description:
      'Arbitrary text as both key file formats: never throws, diagnostics inside the text, every parsed key well-formed.',
    package: 'crypto',
    parser: ['src/key-files.ts', 'src/bytes.ts'],
    dictionary: 'keys.dict',
    maxLen: 4096,
    seeds: 'keys',
  },
  decrypt: {
    description:
      'decryptMessages on input-chosen keys and messages: never throws; every reported decryption passes independent evidence.',
    package: 'crypto',
    alsoInstrument: ['isakmp'],
    parser: ['src/messages.ts', 'src/ike-sa.ts', 'src/body.ts', 'src/iv.ts'],
    dictionary: 'isakmp.dict',
    maxLen: 4096,
    seeds: 'none',
  },
  pipeline: {
    description:
      'A capture through `@oaklog/pipeline` as `oaklog view` runs it (with every corpus key): each IKE datagram accounted for once.',
    package: 'bridge',
    alsoInstrument: ['crypto', 'pcap'],
    parser: ['src/sa-tracker.ts', 'src/render.ts'],
    dictionary: 'pcap.dict',
    maxLen: 16384,
    seeds: 'captures',
    // 40-100 exec/s on a loaded 2-core machine: each input runs the whole pipeline with every corpus key.
    smokeMutations: 200,
  },
} as const satisfies Record<string, TargetInfo>;

/** A target's name. */
export type TargetName = keyof typeof targets;

/** Metadata for a target name, or undefined. */
export function targetInfo(name: string): TargetInfo | undefined {
  return (targets as Record<string, TargetInfo>)[name];
}
