/**
 * What a scenario may ask for, and `normalizeScenario`, which checks a JSON value against it and fills in defaults.
 * Every field but `seed` is optional; the README lists them with their defaults.
 */
import { fromHex, ipv4Bytes } from '@oaklog/common';

/** Phase-1 ciphers the synthesizer plays (our `@oaklog/crypto` names). */
export const IKE_CIPHERS = ['3des-cbc', 'aes-cbc-128', 'aes-cbc-256'] as const;
/** Phase-1 hashes (PRF by HMAC of the hash). */
export const IKE_HASHES = ['md5', 'sha1', 'sha2-256'] as const;
/** MODP groups. */
export const IKE_GROUPS = [2, 5, 14] as const;
/** ESP ciphers of the quick-mode proposal. */
export const ESP_CIPHERS = ['3des', 'aes-128', 'aes-256'] as const;
/** ESP integrity algorithms of the quick-mode proposal. */
export const ESP_AUTHS = ['hmac-md5', 'hmac-sha1', 'hmac-sha2-256'] as const;
/** How the responder behaves. */
export const RESPONDER_BEHAVIOURS = ['answers', 'silent', 'rejects-phase1', 'rejects-phase2'] as const;

/** A quick-mode client ID: an IPv4 address (`10.1.0.1`) or subnet (`10.1.0.0/24`). */
export type ClientId = string;

/** One informational exchange after quick mode (or after phase 1 when there is none). */
export interface InformationalSpec {
  /** Who sends it. */
  readonly from: 'initiator' | 'responder';
  /** A notify message type (e.g. 36136 R-U-THERE); leave out for a delete. */
  readonly notify?: number;
  /** A delete of the quick mode's IPsec SA (`ipsec`, the sender's inbound SPI) or of the IKE SA (`ike`). */
  readonly delete?: 'ipsec' | 'ike';
}

/** The scenario as written (JSON): everything but `seed` optional. */
export interface ScenarioInput {
  readonly name?: string;
  /** Seeds every random value (cookies, nonces, DH private values, SPIs, message IDs). */
  readonly seed: string | number;
  /** The client's connection name. Default `Pre-share`. */
  readonly connection?: string;
  /** Time of the first message, ISO 8601 in UTC. Default `2026-01-01T01:38:02.581Z`. */
  readonly start?: string;
  /** The client's (initiator's) IPv4 address. Default 192.0.2.10. */
  readonly initiator?: string;
  /** The gateway's (responder's) IPv4 address. Default 198.51.100.7. */
  readonly responder?: string;
  readonly mode?: 'main' | 'aggressive';
  /** The initiator's pre-shared key. Default `synthesized-psk`. */
  readonly psk?: string;
  /** The responder's pre-shared key when it differs (a wrong PSK). */
  readonly responderPsk?: string;
  readonly ike?: {
    readonly cipher?: (typeof IKE_CIPHERS)[number];
    readonly hash?: (typeof IKE_HASHES)[number];
    readonly group?: (typeof IKE_GROUPS)[number];
  };
  /** Vendor IDs the initiator sends (hex), in MM3 (main mode) or AG1. */
  readonly vendorIds?: readonly string[];
  /** Vendor IDs the responder sends (hex), in MM4 or AG2. */
  readonly responderVendorIds?: readonly string[];
  /** The initiator's INITIAL-CONTACT notify in MM5 / AG3. Default false. */
  readonly initialContact?: boolean;
  /** NAT traversal: RFC 3947 VIDs, NAT-D payloads, the initiator behind a NAT at `natAddress`, float to 4500. */
  readonly natT?: boolean | { readonly natAddress?: string };
  /** IKE fragmentation (payload 132) of the initiator's encrypted phase-1 message(s), `size` data bytes each. */
  readonly fragmentation?: { readonly size: number };
  /** Quick mode after phase 1; `false` for none. Default `{}`. */
  readonly quickMode?:
    | false
    | {
        readonly pfs?: boolean;
        readonly commit?: boolean;
        readonly responderLifetime?: boolean;
        readonly esp?: { readonly cipher?: (typeof ESP_CIPHERS)[number]; readonly auth?: (typeof ESP_AUTHS)[number] };
        /** Client IDs; default the two IKE peers' addresses. */
        readonly initiatorId?: ClientId;
        readonly responderId?: ClientId;
      };
  readonly informational?: readonly InformationalSpec[];
  readonly responderBehaviour?: (typeof RESPONDER_BEHAVIOURS)[number];
  /** Resends before the initiator gives up on an unanswered message. Default 3. */
  readonly retransmissions?: number;
  /** Resends of MM1 / AG1 before the responder answers (a lost first answer). Default 0. */
  readonly resendsBeforeAnswer?: number;
  /** Milliseconds between resends. Default 10000. */
  readonly retransmitIntervalMs?: number;
  /** Milliseconds after the last resend the initiator gives up. Default 30000. */
  readonly giveUpAfterMs?: number;
  /** Milliseconds a peer takes to answer. Default 150. */
  readonly answerMs?: number;
}

/** A scenario with every default filled in. */
export interface Scenario {
  readonly name: string;
  readonly seed: string;
  readonly connection: string;
  /** Milliseconds since the epoch. */
  readonly start: number;
  readonly initiator: string;
  readonly responder: string;
  readonly mode: 'main' | 'aggressive';
  readonly psk: string;
  readonly responderPsk: string;
  readonly ike: {
    readonly cipher: (typeof IKE_CIPHERS)[number];
    readonly hash: (typeof IKE_HASHES)[number];
    readonly group: (typeof IKE_GROUPS)[number];
  };
  readonly vendorIds: readonly Uint8Array[];
  readonly responderVendorIds: readonly Uint8Array[];
  readonly initialContact: boolean;
  /** The initiator's address as the responder sees it, when NAT-T is on. */
  readonly natAddress: string | undefined;
  readonly fragmentSize: number | undefined;
  readonly quickMode:
    | {
        readonly pfs: boolean;
        readonly commit: boolean;
        readonly responderLifetime: boolean;
        readonly espCipher: (typeof ESP_CIPHERS)[number];
        readonly espAuth: (typeof ESP_AUTHS)[number];
        readonly initiatorId: ClientId;
        readonly responderId: ClientId;
      }
    | undefined;
  readonly informational: readonly InformationalSpec[];
  readonly responderBehaviour: (typeof RESPONDER_BEHAVIOURS)[number];
  readonly retransmissions: number;
  readonly resendsBeforeAnswer: number;
  readonly retransmitIntervalMs: number;
  readonly giveUpAfterMs: number;
  readonly answerMs: number;
}

/** A scenario that cannot be played: `path` names the field (`ike.cipher`, `informational[1].from`). */
export class ScenarioError extends Error {
  readonly code = 'BAD_SCENARIO';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`BAD_SCENARIO at ${path}: ${message}`);
    this.name = 'ScenarioError';
  }
}

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function oneOf<T extends string | number>(value: unknown, allowed: readonly T[], fallback: T, path: string): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new ScenarioError(path, `expected one of ${allowed.join(', ')}`);
  return value as T;
}

function text(value: unknown, fallback: string, path: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[\x20-\x7e]{1,256}$/.test(value))
    throw new ScenarioError(path, 'expected 1 to 256 printable ASCII characters');
  return value;
}

function flag(value: unknown, fallback: boolean, path: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ScenarioError(path, 'expected true or false');
  return value;
}

function count(value: unknown, fallback: number, max: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max)
    throw new ScenarioError(path, `expected an integer from 0 to ${max}`);
  return value;
}

function address(value: unknown, fallback: string, path: string): string {
  const a = text(value, fallback, path);
  if (ipv4Bytes(a) === undefined) throw new ScenarioError(path, 'expected an IPv4 address');
  return a;
}

function clientId(value: unknown, fallback: string, path: string): ClientId {
  const id = text(value, fallback, path);
  const [net, bits, extra] = id.split('/');
  const ok =
    extra === undefined &&
    ipv4Bytes(net ?? '') !== undefined &&
    (bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32));
  if (!ok) throw new ScenarioError(path, 'expected an IPv4 address or subnet (10.1.0.0/24)');
  return id;
}

function hexList(value: unknown, path: string): Uint8Array[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 16)
    throw new ScenarioError(path, 'expected a list of at most 16 hex strings');
  return value.map((v, i) => {
    if (typeof v !== 'string' || !/^([0-9a-fA-F]{2}){1,64}$/.test(v))
      throw new ScenarioError(`${path}[${i}]`, 'expected 1 to 64 bytes of hex');
    return fromHex(v) as Uint8Array;
  });
}

function section(value: unknown, path: string): Json {
  if (value === undefined) return {};
  if (!isObject(value)) throw new ScenarioError(path, 'expected an object');
  return value;
}

const KNOWN_FIELDS = new Set<string>([
  'name',
  'seed',
  'connection',
  'start',
  'initiator',
  'responder',
  'mode',
  'psk',
  'responderPsk',
  'ike',
  'vendorIds',
  'responderVendorIds',
  'initialContact',
  'natT',
  'fragmentation',
  'quickMode',
  'informational',
  'responderBehaviour',
  'retransmissions',
  'resendsBeforeAnswer',
  'retransmitIntervalMs',
  'giveUpAfterMs',
  'answerMs',
  '$comment',
]);

/** Checks a scenario (parsed JSON or a TypeScript object) and fills in the defaults; throws `ScenarioError`. */
export function normalizeScenario(input: unknown): Scenario {
  if (!isObject(input)) throw new ScenarioError('$', 'a scenario is a JSON object');
  for (const key of Object.keys(input)) if (!KNOWN_FIELDS.has(key)) throw new ScenarioError(key, 'unknown field');
  const seed = input.seed;
  if (typeof seed !== 'string' && !(typeof seed === 'number' && Number.isFinite(seed)))
    throw new ScenarioError('seed', 'expected a string or a number');
  const startText = text(input.start, '2026-01-01T01:38:02.581Z', 'start');
  const start = Date.parse(startText);
  if (!/Z$/.test(startText) || Number.isNaN(start) || start < 0)
    throw new ScenarioError('start', 'expected an ISO 8601 UTC time (ending in Z) after 1970');
  const ike = section(input.ike, 'ike');
  const initiator = address(input.initiator, '192.0.2.10', 'initiator');
  const responder = address(input.responder, '198.51.100.7', 'responder');
  if (initiator === responder) throw new ScenarioError('responder', 'the two peers need different addresses');
  const psk = text(input.psk, 'synthesized-psk', 'psk');
  const natInput = input.natT;
  let natAddress: string | undefined;
  if (natInput === true) natAddress = '203.0.113.5';
  else if (isObject(natInput)) natAddress = address(natInput.natAddress, '203.0.113.5', 'natT.natAddress');
  else if (natInput !== undefined && natInput !== false)
    throw new ScenarioError('natT', 'expected true, false or an object');
  const fragmentation = input.fragmentation === undefined ? undefined : section(input.fragmentation, 'fragmentation');
  const fragmentSize =
    fragmentation === undefined ? undefined : count(fragmentation.size, 0, 65535, 'fragmentation.size');
  if (fragmentSize !== undefined && fragmentSize < 16)
    throw new ScenarioError('fragmentation.size', 'at least 16 bytes');
  const qmInput = input.quickMode;
  let quickMode: Scenario['quickMode'];
  if (qmInput !== false) {
    const qm = section(qmInput, 'quickMode');
    const esp = section(qm.esp, 'quickMode.esp');
    quickMode = {
      pfs: flag(qm.pfs, false, 'quickMode.pfs'),
      commit: flag(qm.commit, false, 'quickMode.commit'),
      responderLifetime: flag(qm.responderLifetime, false, 'quickMode.responderLifetime'),
      espCipher: oneOf(esp.cipher, ESP_CIPHERS, 'aes-128', 'quickMode.esp.cipher'),
      espAuth: oneOf(esp.auth, ESP_AUTHS, 'hmac-sha1', 'quickMode.esp.auth'),
      initiatorId: clientId(qm.initiatorId, initiator, 'quickMode.initiatorId'),
      responderId: clientId(qm.responderId, responder, 'quickMode.responderId'),
    };
  }
  const infoInput = input.informational ?? [];
  if (!Array.isArray(infoInput) || infoInput.length > 16)
    throw new ScenarioError('informational', 'expected a list of at most 16 exchanges');
  const informational = infoInput.map((x, i): InformationalSpec => {
    const path = `informational[${i}]`;
    const o = section(x, path);
    const from = oneOf(o.from, ['initiator', 'responder'] as const, 'initiator', `${path}.from`);
    const del =
      o.delete === undefined ? undefined : oneOf(o.delete, ['ipsec', 'ike'] as const, 'ike', `${path}.delete`);
    const notify = o.notify === undefined ? undefined : count(o.notify, 0, 65535, `${path}.notify`);
    if ((notify === undefined) === (del === undefined)) throw new ScenarioError(path, 'give either notify or delete');
    if (del === 'ipsec' && quickMode === undefined)
      throw new ScenarioError(`${path}.delete`, 'no quick mode, no IPsec SA');
    return { from, ...(notify === undefined ? {} : { notify }), ...(del === undefined ? {} : { delete: del }) };
  });
  const s: Scenario = {
    name: text(input.name, 'scenario', 'name'),
    seed: String(seed),
    connection: text(input.connection, 'Pre-share', 'connection'),
    start,
    initiator,
    responder,
    mode: oneOf(input.mode, ['main', 'aggressive'] as const, 'main', 'mode'),
    psk,
    responderPsk: text(input.responderPsk, psk, 'responderPsk'),
    ike: {
      cipher: oneOf(ike.cipher, IKE_CIPHERS, '3des-cbc', 'ike.cipher'),
      hash: oneOf(ike.hash, IKE_HASHES, 'sha1', 'ike.hash'),
      group: oneOf(ike.group, IKE_GROUPS, 2, 'ike.group'),
    },
    vendorIds: hexList(input.vendorIds, 'vendorIds'),
    responderVendorIds: hexList(input.responderVendorIds, 'responderVendorIds'),
    initialContact: flag(input.initialContact, false, 'initialContact'),
    natAddress,
    fragmentSize,
    quickMode,
    informational,
    responderBehaviour: oneOf(input.responderBehaviour, RESPONDER_BEHAVIOURS, 'answers', 'responderBehaviour'),
    retransmissions: count(input.retransmissions, 3, 10, 'retransmissions'),
    resendsBeforeAnswer: count(input.resendsBeforeAnswer, 0, 10, 'resendsBeforeAnswer'),
    retransmitIntervalMs: count(input.retransmitIntervalMs, 10_000, 600_000, 'retransmitIntervalMs'),
    giveUpAfterMs: count(input.giveUpAfterMs, 30_000, 600_000, 'giveUpAfterMs'),
    answerMs: count(input.answerMs, 150, 60_000, 'answerMs'),
  };
  if (s.answerMs < 1) throw new ScenarioError('answerMs', 'at least 1 ms');
  if (s.retransmitIntervalMs <= s.answerMs * 2)
    throw new ScenarioError('retransmitIntervalMs', 'must be longer than two answer times');
  if (s.giveUpAfterMs < 1000) throw new ScenarioError('giveUpAfterMs', 'at least 1000 ms');
  if (s.mode === 'aggressive' && s.psk !== s.responderPsk)
    throw new ScenarioError(
      'responderPsk',
      'a wrong PSK is modelled in main mode only (what the client logs when HASH_R fails is not documented)',
    );
  if (s.responderBehaviour === 'rejects-phase2' && s.quickMode === undefined)
    throw new ScenarioError('responderBehaviour', 'rejects-phase2 needs a quick mode');
  return s;
}
