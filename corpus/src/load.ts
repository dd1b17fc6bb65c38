/**
 * The corpus loader every package's tests import. The single source of truth is `corpus/manifest.json`:
 * each case lists its files, its provenance and the expectations tests check.
 *
 * The shape below is the contract other packages code against; the corpus work may add fields but keeps these.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the corpus folder. */
export const corpusRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** One capture file in the corpus. */
export interface CaptureCase {
  /** Unique case name, kebab-case. */
  readonly name: string;
  /** Path relative to `corpus/`. */
  readonly path: string;
  readonly format: 'pcap' | 'pcapng';
  /** tshark -T json golden trimmed to the ISAKMP layer, relative to `corpus/`, when one exists. */
  readonly tsharkGolden?: string;
  /** Wireshark `ikev1_decryption_table` file, relative to `corpus/`, when keys exist. */
  readonly wiresharkKeys?: string;
  /** Our per-IKE-SA JSON key file, relative to `corpus/`, when keys exist. */
  readonly keys?: string;
}

/** One View Log (any dialect) in the corpus. */
export interface LogCase {
  readonly name: string;
  readonly path: string;
  readonly dialect: 'safenet' | 'cisco-vpnclient' | 'gateway';
}

/** Reads a corpus file as bytes. */
export function readCorpusBytes(relativePath: string): Uint8Array {
  return new Uint8Array(readFileSync(join(corpusRoot, relativePath)));
}

/** Reads a corpus file as UTF-8 text, byte-exact (no newline normalisation). */
export function readCorpusText(relativePath: string): string {
  return readFileSync(join(corpusRoot, relativePath), 'utf8');
}

interface ManifestFile {
  readonly captures?: readonly CaptureCase[];
  readonly logs?: readonly LogCase[];
}

function readManifest(): ManifestFile {
  try {
    return JSON.parse(readCorpusText('manifest.json')) as ManifestFile;
  } catch {
    return {};
  }
}

/** Every capture case in the manifest. */
export function listCaptures(): readonly CaptureCase[] {
  return readManifest().captures ?? [];
}

/** Every View Log case in the manifest. */
export function listLogs(): readonly LogCase[] {
  return readManifest().logs ?? [];
}
