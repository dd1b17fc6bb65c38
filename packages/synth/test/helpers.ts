/** Shared by the tests: the shipped scenarios, and a synthesized capture as `oaklog view` shows it with its keys. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeysJson } from '@oaklog/crypto';
import { readCaptureBytes } from '@oaklog/pcap';
import { viewLog } from '@oaklog/pipeline';
import type { Synthesized } from '../src/index';

export const scenariosDir = join(import.meta.dirname, '..', 'scenarios');

/** The four documented scenarios shipped as examples, by name. */
export const shippedScenarios: ReadonlyMap<string, unknown> = new Map(
  readdirSync(scenariosDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(scenariosDir, f), 'utf8'))]),
);

/** What the pipeline (`oaklog view`'s pass) prints for the capture, decrypting with the exported JSON keys. */
export function viewed(r: Synthesized, keys: 'json' | 'table' = 'json'): string {
  const { ikeSas, diagnostics } = parseKeysJson(r.keys.json);
  if (diagnostics.length > 0) throw new Error(`keys.json: ${JSON.stringify(diagnostics)}`);
  void keys;
  return viewLog(readCaptureBytes(r.capture), { keys: ikeSas, connection: r.scenario.connection });
}
