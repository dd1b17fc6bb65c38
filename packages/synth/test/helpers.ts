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

/** Feature scenarios beyond the four documented ones: each asks for something the issue lists. */
export const features: Record<string, object> = {
  'aes-256 sha2-256 modp14, PFS, subnets': {
    seed: 'pfs',
    ike: { cipher: 'aes-cbc-256', hash: 'sha2-256', group: 14 },
    quickMode: { pfs: true, initiatorId: '10.1.0.0/24', responderId: '10.2.0.0/16' },
  },
  'NAT-T: RFC 3947 VIDs, NAT-D, float to 4500 at MM5': { seed: 'nat', natT: true, initialContact: true },
  'NAT-T in aggressive mode': { seed: 'nat-ag', mode: 'aggressive', natT: { natAddress: '203.0.113.77' } },
  'IKE fragmentation of MM5': { seed: 'frag', fragmentation: { size: 24 }, initialContact: true },
  'wrong PSK: MM5 resent, the gateway silent': { seed: 'psk', responderPsk: 'not-the-same', retransmissions: 2 },
  'phase 1 NO_PROPOSAL_CHOSEN': { seed: 'p1npc', responderBehaviour: 'rejects-phase1' },
  'aggressive mode silent peer': { seed: 'ag-silent', mode: 'aggressive', responderBehaviour: 'silent' },
  'a lost answer: MM1 resent once, then answered': { seed: 'lost', resendsBeforeAnswer: 1 },
  'informational: DPD, an error notify, deletes': {
    seed: 'info',
    ike: { cipher: 'aes-cbc-128', hash: 'md5', group: 5 },
    informational: [
      { from: 'initiator', notify: 36136 },
      { from: 'responder', notify: 36137 },
      { from: 'responder', notify: 18 },
      { from: 'initiator', delete: 'ipsec' },
      { from: 'responder', delete: 'ipsec' },
      { from: 'initiator', delete: 'ike' },
    ],
  },
  'commit bit without RESPONDER-LIFETIME': { seed: 'commit', quickMode: { commit: true } },
};

/** The documented scenarios, then the feature scenarios, by name. */
export const allScenarios: [string, unknown][] = [...shippedScenarios, ...Object.entries(features)];

/** What the pipeline (`oaklog view`'s pass) prints for the capture, decrypting with the exported JSON keys. */
export function viewed(r: Synthesized): string {
  const { ikeSas, diagnostics } = r.keys === undefined ? { ikeSas: [], diagnostics: [] } : parseKeysJson(r.keys.json);
  if (diagnostics.length > 0) throw new Error(`keys.json: ${JSON.stringify(diagnostics)}`);
  return viewLog(readCaptureBytes(r.capture), { keys: ikeSas, connection: r.scenario.connection });
}
