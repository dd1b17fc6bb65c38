/**
 * `@oaklog/synth`: IKEv1 negotiations synthesized from a scenario, both peers played with real Diffie-Hellman, nonces
 * and RFC 2409 hashes: a pcap, the keys (our JSON and Wireshark's table) and the View Log the client writes.
 * Browser-safe.
 */

export { CLIENT_NOTIFY_NAMES } from './client-log';
export {
  ESP_AUTHS,
  ESP_CIPHERS,
  IKE_CIPHERS,
  IKE_GROUPS,
  IKE_HASHES,
  type InformationalSpec,
  normalizeScenario,
  RESPONDER_BEHAVIOURS,
  type Scenario,
  ScenarioError,
  type ScenarioInput,
} from './scenario';
export { type Synthesized, type SynthesizedFrame, synthesize } from './synthesize';
