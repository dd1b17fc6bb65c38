/**
 * Plays both peers of an IKEv1 negotiation from a scenario: real Diffie-Hellman, nonces and RFC 2409 hashes, every
 * encrypted body under the keys the two sides derive, every HASH valid. Writes the datagrams as a pcap, the keys as
 * our JSON and Wireshark's table, and, from the same play (not from the packets), the View Log the client writes.
 */
import { concatBytes, DpdNotify, equalBytes, ipv4Bytes, toHex } from '@oaklog/common';
import {
  cipherSpec,
  createIkeSaState,
  derivePhase1Keys,
  dhKeyPair,
  dhSharedSecret,
  digest,
  formatKeysJson,
  formatWiresharkKeyTable,
  hashSpec,
  type IkeSaKeys,
  type IkeSaState,
  type KeyRecord,
  phase1Iv,
  prf,
} from '@oaklog/crypto';
import {
  asciiBytes as ascii,
  build,
  EncapsulationMode,
  EspTransformId,
  ExchangeType,
  encode,
  encodePlaintext,
  HeaderFlag,
  IdType,
  IpsecAttribute,
  IpsecAuthAlgorithm,
  type Message,
  NotifyType,
  OakleyAttribute,
  type Payload,
  ProtocolId,
} from '@oaklog/isakmp';
import { type TimedDatagram, writeUdpCapture } from '@oaklog/pcap';
import {
  CLIENT_NOTIFY_NAMES,
  clientCookie,
  clientIdText,
  createClientLog,
  isErrorNotify,
  prefixMask,
} from './client-log';
import { createRandom } from './random';
import { normalizeScenario, type Scenario, ScenarioError } from './scenario';

/** One datagram of the synthesized capture, as the synthesizer meant it. */
export interface SynthesizedFrame {
  /** 1-based frame number in the capture. */
  readonly frame: number;
  /** Who sent it. */
  readonly sender: 'initiator' | 'responder';
  /** What it is (`MM1`, `QM2`, `INFO`, `MM5 fragment 2/3`, …). */
  readonly label: string;
  /** The same bytes as an earlier frame (a resend). */
  readonly resend: boolean;
  /** Encrypted: the plaintext payload types, in order. */
  readonly plaintextTypes?: readonly number[];
  /** Capture time, milliseconds since the epoch. */
  readonly timeMs: number;
}

/** What `synthesize` makes. */
export interface Synthesized {
  /** The scenario with its defaults filled in. */
  readonly scenario: Scenario;
  /** Classic pcap, Ethernet. */
  readonly capture: Uint8Array;
  /**
   * The IKE SA's keys: our JSON (`@oaklog/crypto`'s `parseKeysJson` reads it, in the corpus `keys.json` form: each
   * side's Ka, SKEYID and its three derived keys, g^xy, the initial IV and the pre-shared keys, so every value can be
   * recomputed from the capture) and Wireshark's `ikev1_decryption_table`. Undefined when no Diffie-Hellman values went
   * on the wire (a silent peer, phase 1 refused): then no key follows from the capture, and none is claimed.
   */
  readonly keys: { readonly json: string; readonly wiresharkTable: string } | undefined;
  /** The View Log the client writes, from the initiator's side, one line each, newline-terminated. */
  readonly expectedLog: string;
  /** What each frame is. */
  readonly frames: readonly SynthesizedFrame[];
}

const MM = ExchangeType.IDENTITY_PROTECTION;
const AG = ExchangeType.AGGRESSIVE;
const QM = ExchangeType.QUICK_MODE;
const INFO = ExchangeType.INFORMATIONAL;
/** Milliseconds a peer takes between receiving a message and sending its next one on its own. */
const THINK_MS = 12;
/** R-U-THERE and R-U-THERE-ACK (RFC 3706). */
const DPD_NOTIFIES: ReadonlySet<number> = new Set(Object.values(DpdNotify));
/** `MD5("RFC 3947")` (RFC 3947 section 3.1). */
const RFC3947_VID_TEXT = 'RFC 3947';
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const u16 = (n: number) => Uint8Array.of(n >>> 8, n & 0xff);

const ESP_TRANSFORMS = {
  '3des': { id: EspTransformId.ESP_3DES, keyBits: undefined },
  'aes-128': { id: EspTransformId.ESP_AES_CBC, keyBits: 128 },
  'aes-256': { id: EspTransformId.ESP_AES_CBC, keyBits: 256 },
} as const;
const ESP_AUTH = {
  'hmac-md5': IpsecAuthAlgorithm.HMAC_MD5,
  'hmac-sha1': IpsecAuthAlgorithm.HMAC_SHA,
  'hmac-sha2-256': IpsecAuthAlgorithm.HMAC_SHA2_256,
} as const;

/** A payload's body, without its generic header (RFC 2409's `SAi_b`, `IDii_b`). */
function payloadBody(p: Payload): Uint8Array {
  return encodePlaintext({ payloads: [p] }).subarray(4);
}

function clientIdPayload(id: string): Payload {
  const [address, bits] = id.split('/');
  if (bits === undefined) return build.id({ idType: IdType.IPV4_ADDR, data: ipv4Bytes(address ?? '')! });
  const n = Number(bits);
  const mask = u32(prefixMask(n));
  return build.id({ idType: IdType.IPV4_ADDR_SUBNET, data: concatBytes([ipv4Bytes(address ?? '')!, mask]) });
}

/** Plays the scenario (a JSON value or object, checked by `normalizeScenario`); throws `ScenarioError`. */
export function synthesize(input: unknown): Synthesized {
  const s = normalizeScenario(input);
  const random = createRandom(s.seed);
  const hash = hashSpec(s.ike.hash);
  const cipher = cipherSpec(s.ike.cipher);
  const log = createClientLog(s.connection);

  const ci = random.bytes(8);
  const cr = random.bytes(8);
  const zero = new Uint8Array(8);
  const ni = random.bytes(20);
  const nr = random.bytes(20);
  const dhI = dhKeyPair(s.ike.group, random.bytes(32));
  const dhR = dhKeyPair(s.ike.group, random.bytes(32));
  const gxy = dhSharedSecret(dhI, dhR.publicKey);
  const derive = (psk: string) =>
    derivePhase1Keys(hash, cipher, {
      skeyid: { method: 'psk', psk: ascii(psk), nonceI: ni, nonceR: nr },
      sharedSecret: gxy,
      initiatorCookie: ci,
      responderCookie: cr,
    });
  const keysI = derive(s.psk);
  const keysR = derive(s.responderPsk);
  const wrongPsk = s.psk !== s.responderPsk;
  /** One side's state of the IKE SA: it encrypts, decrypts and checks hashes with its own keys. */
  const saKeys = (own: typeof keysI): IkeSaKeys => ({
    initiatorCookie: ci,
    responderCookie: cr,
    encryptionKeys: [own.encryptionKey],
    authenticationKeys: [own.skeyidA],
    cipher: s.ike.cipher,
    hash: s.ike.hash,
    gxi: dhI.publicKey,
    gxr: dhR.publicKey,
  });
  const differs = (field: keyof typeof keysI) =>
    equalBytes(keysI[field], keysR[field]) ? {} : { [`responder.${field}`]: keysR[field] };
  const exported: KeyRecord = {
    initiatorCookie: ci,
    responderCookie: cr,
    encryption: s.ike.cipher,
    hash: s.ike.hash,
    group: `modp${dhI.group.byteLength * 8}`,
    encryptionKey: { initiator: keysI.encryptionKey, responder: keysR.encryptionKey },
    skeyid: keysI.skeyid,
    skeyidD: keysI.skeyidD,
    skeyidA: keysI.skeyidA,
    skeyidE: keysI.skeyidE,
    initialIv: phase1Iv(hash, dhI.publicKey, dhR.publicKey, cipher.blockSize),
    sharedSecret: gxy,
    psk: s.psk,
    ...(wrongPsk ? { pskResponder: s.responderPsk } : {}),
    responderDiffers: { ...differs('skeyid'), ...differs('skeyidD'), ...differs('skeyidA'), ...differs('skeyidE') },
  };
  // Keys follow from the capture only when both Diffie-Hellman values were on the wire.
  const keyed = s.responderBehaviour !== 'silent' && s.responderBehaviour !== 'rejects-phase1';
  const stateI = createIkeSaState(saKeys(keysI));
  const stateR = createIkeSaState(saKeys(keysR));

  // --- the wire ---------------------------------------------------------------------------------------------------
  const datagrams: TimedDatagram[] = [];
  const frames: SynthesizedFrame[] = [];
  let natPorts = false;
  let ipId = 1;
  const send = (
    sender: 'initiator' | 'responder',
    label: string,
    bytes: Uint8Array,
    ms: number,
    resend: boolean,
    plaintextTypes?: readonly number[],
  ) => {
    const fromI = sender === 'initiator';
    const port = natPorts ? 4500 : 500;
    datagrams.push({
      src: fromI ? s.initiator : s.responder,
      dst: fromI ? s.responder : s.initiator,
      srcPort: port,
      dstPort: port,
      payload: bytes,
      nonEspMarker: natPorts,
      id: ipId++ & 0xffff,
      time: { seconds: Math.floor(ms / 1000), nanoseconds: (ms % 1000) * 1_000_000 },
    });
    frames.push({
      frame: frames.length + 1,
      sender,
      label,
      resend,
      ...(plaintextTypes ? { plaintextTypes } : {}),
      timeMs: ms,
    });
  };

  /** What one side put on the wire for one message: its datagrams (several when IKE-fragmented). */
  interface Sent {
    readonly sender: 'initiator' | 'responder';
    readonly label: string;
    readonly pieces: readonly Uint8Array[];
    readonly plaintextTypes?: readonly number[];
  }
  let fragmentId = 0;
  const emit = (m: Sent, ms: number, resend = false) => {
    m.pieces.forEach((p, i) => {
      const label = m.pieces.length > 1 ? `${m.label} fragment ${i + 1}/${m.pieces.length}` : m.label;
      send(m.sender, label, p, ms, resend, m.plaintextTypes);
    });
  };
  const plain = (
    sender: 'initiator' | 'responder',
    label: string,
    exchangeType: number,
    payloads: Payload[],
    responderCookie = cr,
  ): Sent => {
    const bytes = encode(build.message({ initiatorCookie: ci, responderCookie, exchangeType, payloads }));
    // Both sides see every message: the states learn g^x and keep their chains as the peers do.
    stateI.push(bytes);
    stateR.push(bytes);
    return { sender, label, pieces: [bytes] };
  };
  const sealed = (
    sender: 'initiator' | 'responder',
    label: string,
    exchangeType: number,
    messageId: number,
    payloads: Payload[],
    options: { flags?: number; fragment?: boolean; delivered?: boolean } = {},
  ): Sent => {
    const [own, peer]: [IkeSaState, IkeSaState] = sender === 'initiator' ? [stateI, stateR] : [stateR, stateI];
    const { message } = own.encrypt({
      initiatorCookie: ci,
      responderCookie: cr,
      exchangeType,
      messageId,
      payloads,
      ...(options.flags === undefined ? {} : { flags: options.flags }),
    });
    const bytes = encode(message);
    // A peer with the other key cannot read it (a wrong PSK): it drops it, its chain unmoved.
    if (options.delivered !== false) {
      const seen = peer.push(bytes);
      if (seen.kind !== 'decrypted')
        throw new Error(`synthesizer fault: ${label} did not decrypt for the peer (${seen.kind})`);
    }
    let pieces: Uint8Array[] = [bytes];
    if (options.fragment && s.fragmentSize !== undefined && bytes.length > s.fragmentSize) {
      fragmentId += 1;
      pieces = build
        .fragments(bytes, s.fragmentSize, {
          initiatorCookie: ci,
          responderCookie: cr,
          exchangeType,
          messageId,
          fragmentId,
        })
        .map((m: Message) => encode(m));
    }
    return { sender, label, pieces, plaintextTypes: payloads.map((p) => p.type) };
  };

  // --- phase 1 payloads --------------------------------------------------------------------------------------------
  const oakley = [
    build.attr.tv(OakleyAttribute.ENCRYPTION_ALGORITHM, cipher.oakleyId),
    ...(cipher.oakleyId === 7 ? [build.attr.tv(OakleyAttribute.KEY_LENGTH, cipher.keyLength * 8)] : []),
    build.attr.tv(OakleyAttribute.HASH_ALGORITHM, hash.oakleyId),
    build.attr.tv(OakleyAttribute.AUTHENTICATION_METHOD, 1),
    build.attr.tv(OakleyAttribute.GROUP_DESCRIPTION, s.ike.group),
    build.attr.tv(OakleyAttribute.LIFE_TYPE, 1),
    build.attr.number(OakleyAttribute.LIFE_DURATION, 86400),
  ];
  const ikeSa = build.sa({
    proposals: [build.proposal({ transforms: [build.transform({ id: 1, attributes: oakley })] })],
  });
  const natT = s.natAddress !== undefined;
  const fragVid = digest('md5', ascii('FRAGMENTATION'));
  const phase1Vids = (own: readonly Uint8Array[]) => [
    ...(natT ? [build.vendorId(digest('md5', ascii(RFC3947_VID_TEXT)))] : []),
    ...(s.fragmentSize !== undefined ? [build.vendorId(fragVid)] : []),
    ...own.map((v) => build.vendorId(v)),
  ];
  // NAT-D (RFC 3947 3.2): HASH(CKY-I | CKY-R | IP | Port), the peer's then our own address as each side sees them.
  const natD = (address: string, port: number) => build.natD(digest(hash, ci, cr, ipv4Bytes(address)!, u16(port)));
  const natDsOfInitiator = () => [natD(s.responder, 500), natD(s.initiator, 500)];
  const natDsOfResponder = () => [natD(s.natAddress ?? s.initiator, 500), natD(s.responder, 500)];
  const idI = build.id({ idType: IdType.IPV4_ADDR, data: ipv4Bytes(s.initiator)! });
  const idR = build.id({ idType: IdType.IPV4_ADDR, data: ipv4Bytes(s.responder)! });
  const saiB = payloadBody(ikeSa);
  // RFC 2409 5: HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b), HASH_R with the halves swapped.
  const hashI = (k: typeof keysI) => prf(hash, k.skeyid, dhI.publicKey, dhR.publicKey, ci, cr, saiB, payloadBody(idI));
  const hashR = (k: typeof keysI) => prf(hash, k.skeyid, dhR.publicKey, dhI.publicKey, cr, ci, saiB, payloadBody(idR));
  const initialContact = s.initialContact
    ? [
        build.notification({
          messageType: NotifyType.INITIAL_CONTACT,
          protocolId: ProtocolId.ISAKMP,
          spi: concatBytes([ci, cr]),
        }),
      ]
    : [];
  const names = (payloads: readonly Payload[]) => payloads.map(itemName);

  let t = s.start;
  const answer = () => {
    t += s.answerMs;
    return t;
  };
  const next = () => {
    t += THINK_MS;
    return t;
  };
  const established = () => {
    log.line(t, 'Established IKE SA');
    log.continued(`   MY COOKIE ${clientCookie(ci)}`);
    log.continued(`   HIS COOKIE ${clientCookie(cr)}`);
  };
  /** The initiator resends `m` until it gives up; the log ends with `ending` at the give-up time. */
  const unanswered = (m: Sent, exchange: string, encrypted: boolean, resends: number, announce = true) => {
    for (let i = 0; i < resends; i++) {
      t += s.retransmitIntervalMs;
      if (announce) log.line(t, 'message not received! Retransmitting!');
      log.message(t, true, exchange, encrypted, 'resend');
      emit(m, t, true);
    }
    t += s.giveUpAfterMs;
  };
  const sendLogged = (m: Sent, exchange: string, encrypted: boolean, payloads: readonly Payload[]) => {
    log.message(t, m.sender === 'initiator', exchange, encrypted, names(payloads));
    emit(m, t);
  };
  /** Lost answers: the first message resent before the peer answers. */
  const lostAnswers = (m: Sent, exchange: string) => {
    for (let i = 0; i < s.resendsBeforeAnswer; i++) {
      t += s.retransmitIntervalMs;
      log.line(t, 'message not received! Retransmitting!');
      log.message(t, true, exchange, false, 'resend');
      emit(m, t, true);
    }
  };
  let endMarker: number | undefined;
  let failed = false;

  // --- phase 1 -----------------------------------------------------------------------------------------------------
  log.line(t, `Initiating IKE Phase 1 (IP ADDR=${s.responder})`);
  if (s.mode === 'main') {
    const mm1Payloads = [ikeSa, ...phase1Vids([])];
    const mm1 = plain('initiator', 'MM1', MM, mm1Payloads, zero);
    sendLogged(mm1, 'MM', false, mm1Payloads);
    if (s.responderBehaviour === 'silent') {
      unanswered(mm1, 'MM', false, s.retransmissions);
      log.line(t, `Exceeded ${s.retransmissions} IKE SA negotiation attempts`);
      endMarker = t;
      failed = true;
    } else {
      lostAnswers(mm1, 'MM');
      if (s.responderBehaviour === 'rejects-phase1') {
        answer();
        rejectPhase1();
        failed = true;
      } else {
        answer();
        const mm2Payloads = [ikeSa, ...phase1Vids([])];
        sendLogged(plain('responder', 'MM2', MM, mm2Payloads), 'MM', false, mm2Payloads);
        next();
        const mm3Payloads = [
          build.ke(dhI.publicKey),
          build.nonce(ni),
          ...(natT ? natDsOfInitiator() : []),
          ...s.vendorIds.map((v) => build.vendorId(v)),
        ];
        sendLogged(plain('initiator', 'MM3', MM, mm3Payloads), 'MM', false, mm3Payloads);
        answer();
        const mm4Payloads = [
          build.ke(dhR.publicKey),
          build.nonce(nr),
          ...(natT ? natDsOfResponder() : []),
          ...s.responderVendorIds.map((v) => build.vendorId(v)),
        ];
        sendLogged(plain('responder', 'MM4', MM, mm4Payloads), 'MM', false, mm4Payloads);
        next();
        // The NAT-D hashes disagree (the responder saw the NAT's address): both float to 4500 (RFC 3947 4).
        if (natT) natPorts = true;
        const mm5Payloads = [idI, build.hash(hashI(keysI)), ...initialContact];
        const mm5 = sealed('initiator', 'MM5', MM, 0, mm5Payloads, { fragment: true, delivered: !wrongPsk });
        sendLogged(mm5, 'MM', true, mm5Payloads);
        if (wrongPsk) {
          // The responder's Ka differs, so MM5 decrypts to noise there: like a Cisco IOS head-end ("failed its
          // sanity check"), it drops the message and says nothing; the client resends MM5, then gives up.
          unanswered(mm5, 'MM', true, s.retransmissions);
          log.line(t, `Exceeded ${s.retransmissions} IKE SA negotiation attempts`);
          endMarker = t;
          failed = true;
        } else {
          answer();
          const mm6Payloads = [idR, build.hash(hashR(keysR))];
          sendLogged(sealed('responder', 'MM6', MM, 0, mm6Payloads), 'MM', true, mm6Payloads);
          established();
        }
      }
    }
  } else {
    const ag1Payloads = [ikeSa, build.ke(dhI.publicKey), build.nonce(ni), idI, ...phase1Vids(s.vendorIds)];
    const ag1 = plain('initiator', 'AG1', AG, ag1Payloads, zero);
    sendLogged(ag1, 'AG', false, ag1Payloads);
    if (s.responderBehaviour === 'silent') {
      unanswered(ag1, 'AG', false, s.retransmissions);
      log.line(t, `Exceeded ${s.retransmissions} IKE SA negotiation attempts`);
      endMarker = t;
      failed = true;
    } else {
      lostAnswers(ag1, 'AG');
      answer();
      if (s.responderBehaviour === 'rejects-phase1') {
        rejectPhase1();
        failed = true;
      } else {
        const ag2Payloads = [
          ikeSa,
          build.ke(dhR.publicKey),
          build.nonce(nr),
          idR,
          build.hash(hashR(keysR)),
          ...(natT ? natDsOfResponder() : []),
          ...phase1Vids(s.responderVendorIds),
        ];
        sendLogged(plain('responder', 'AG2', AG, ag2Payloads), 'AG', false, ag2Payloads);
        next();
        {
          if (natT) natPorts = true;
          const ag3Payloads = [build.hash(hashI(keysI)), ...(natT ? natDsOfInitiator() : []), ...initialContact];
          sendLogged(sealed('initiator', 'AG3', AG, 0, ag3Payloads, { fragment: true }), 'AG', true, ag3Payloads);
          established();
        }
      }
    }
  }

  /** The responder finds no acceptable phase-1 proposal: an unencrypted INFO NO_PROPOSAL_CHOSEN (no keys yet). */
  function rejectPhase1() {
    const payloads = [
      build.notification({ messageType: NotifyType.NO_PROPOSAL_CHOSEN, protocolId: ProtocolId.ISAKMP }),
    ];
    sendLogged(plain('responder', 'INFO', INFO, payloads, zero), 'INFO', false, payloads);
    log.bare(t, 'Received NO_PROPOSAL_CHOSEN message');
  }

  // --- quick mode --------------------------------------------------------------------------------------------------
  const qm = s.quickMode;
  const spiI = random.bytes(4);
  const spiR = random.bytes(4);
  if (!failed && qm) {
    next();
    const mid = (random.u32() | 1) >>> 0;
    const esp = ESP_TRANSFORMS[qm.espCipher];
    const espSa = (spi: Uint8Array) =>
      build.sa({
        proposals: [
          build.proposal({
            protocolId: ProtocolId.IPSEC_ESP,
            spi,
            transforms: [
              build.transform({
                id: esp.id,
                attributes: [
                  build.attr.tv(IpsecAttribute.SA_LIFE_TYPE, 1),
                  build.attr.number(IpsecAttribute.SA_LIFE_DURATION, 28800),
                  ...(qm.pfs ? [build.attr.tv(IpsecAttribute.GROUP_DESCRIPTION, s.ike.group)] : []),
                  build.attr.tv(
                    IpsecAttribute.ENCAPSULATION_MODE,
                    natT ? EncapsulationMode.UDP_ENCAPSULATED_TUNNEL : EncapsulationMode.TUNNEL,
                  ),
                  build.attr.tv(IpsecAttribute.AUTHENTICATION_ALGORITHM, ESP_AUTH[qm.espAuth]),
                  ...(esp.keyBits === undefined ? [] : [build.attr.tv(IpsecAttribute.KEY_LENGTH, esp.keyBits)]),
                ],
              }),
            ],
          }),
        ],
      });
    const qni = random.bytes(16);
    const qnr = random.bytes(16);
    const pfsI = qm.pfs ? [build.ke(dhKeyPair(s.ike.group, random.bytes(32)).publicKey)] : [];
    const pfsR = qm.pfs ? [build.ke(dhKeyPair(s.ike.group, random.bytes(32)).publicKey)] : [];
    const ids = [clientIdPayload(qm.initiatorId), clientIdPayload(qm.responderId)];
    log.line(t, `Initiating IKE Phase 2 with Client IDs (message id: ${hex8(mid)})`);
    log.continued(`  Initiator = ${clientIdText(qm.initiatorId)}, prot = 0 port = 0`);
    log.continued(`  Responder = ${clientIdText(qm.responderId)}, prot = 0 port = 0`);
    const qm1Payloads = withHash(keysI.skeyidA, [u32(mid)], [espSa(spiI), build.nonce(qni), ...pfsI, ...ids]);
    const qm1 = sealed('initiator', 'QM1', QM, mid, qm1Payloads);
    sendLogged(qm1, 'QM', true, qm1Payloads);
    if (s.responderBehaviour === 'rejects-phase2') {
      // Each QM1 copy is answered by a new informational exchange (its own message ID): NO_PROPOSAL_CHOSEN.
      const reject = () => {
        answer();
        const infoId = (random.u32() | 1) >>> 0;
        const n = build.notification({
          messageType: NotifyType.NO_PROPOSAL_CHOSEN,
          protocolId: ProtocolId.IPSEC_ESP,
          spi: spiI,
        });
        const payloads = withHash(keysR.skeyidA, [u32(infoId)], [n]);
        sendLogged(sealed('responder', 'INFO', INFO, infoId, payloads), 'INFO', true, payloads);
        log.bare(t, 'Received NO_PROPOSAL_CHOSEN message');
      };
      reject();
      for (let i = 0; i < s.retransmissions; i++) {
        t += s.retransmitIntervalMs - s.answerMs;
        log.line(t, 'message not received! Retransmitting!');
        log.message(t, true, 'QM', true, 'resend');
        emit(qm1, t, true);
        reject();
      }
      t += s.giveUpAfterMs;
      log.bare(t, 'Exceeded retry attempts - deleting IPSec Security Association');
      endMarker = t;
      failed = true;
    } else {
      answer();
      const lifetime = qm.responderLifetime
        ? [
            build.notification({
              messageType: NotifyType.RESPONDER_LIFETIME,
              protocolId: ProtocolId.IPSEC_ESP,
              spi: spiR,
              attributes: [
                build.attr.tv(IpsecAttribute.SA_LIFE_TYPE, 1),
                build.attr.number(IpsecAttribute.SA_LIFE_DURATION, 3600),
              ],
            }),
          ]
        : [];
      const qm2Payloads = withHash(
        keysR.skeyidA,
        [u32(mid), qni],
        [espSa(spiR), ...lifetime, build.nonce(qnr), ...pfsR, ...ids],
      );
      const commitFlag = qm.commit ? { flags: HeaderFlag.COMMIT } : {};
      sendLogged(sealed('responder', 'QM2', QM, mid, qm2Payloads, commitFlag), 'QM', true, qm2Payloads);
      next();
      const qm3Payloads = [build.hash(prf(hash, keysI.skeyidA, Uint8Array.of(0), u32(mid), qni, qnr))];
      sendLogged(sealed('initiator', 'QM3', QM, mid, qm3Payloads, commitFlag), 'QM', true, qm3Payloads);
      if (qm.commit) {
        // RFC 2409 5.5 / RFC 2408 3.14: with the commit bit the responder confirms with CONNECTED, here as the
        // client's peer sent it: a fourth quick-mode message, its HASH over M-ID | N like an informational HASH(1).
        answer();
        const connected = build.notification({
          messageType: NotifyType.CONNECTED,
          protocolId: ProtocolId.IPSEC_ESP,
          spi: spiR,
        });
        const qm4Payloads = withHash(keysR.skeyidA, [u32(mid)], [connected]);
        sendLogged(sealed('responder', 'QM4', QM, mid, qm4Payloads, commitFlag), 'QM', true, qm4Payloads);
      }
      log.line(
        t,
        `Loading IPsec SA (Message ID = ${hex8(mid)}) OUTBOUND SPI = ${hexBare(spiR)} INBOUND SPI = ${hexBare(spiI)})`,
      );
    }
  }

  // --- informational exchanges -------------------------------------------------------------------------------------
  const dpdSequence = random.u32();
  if (!failed) {
    for (const info of s.informational) {
      t += 1000;
      const fromI = info.from === 'initiator';
      const infoId = (random.u32() | 1) >>> 0;
      let body: Payload;
      if (info.notify !== undefined)
        body = build.notification({
          messageType: info.notify,
          protocolId: ProtocolId.ISAKMP,
          spi: concatBytes([ci, cr]),
          // RFC 3706 5: R-U-THERE carries a sequence number, and its ACK echoes it.
          ...(DPD_NOTIFIES.has(info.notify) ? { data: u32(dpdSequence) } : {}),
        });
      else if (info.delete === 'ipsec')
        body = build.delete({ protocolId: ProtocolId.IPSEC_ESP, spis: [fromI ? spiI : spiR] });
      else body = build.delete({ protocolId: ProtocolId.ISAKMP, spis: [concatBytes([ci, cr])] });
      const payloads = withHash(fromI ? keysI.skeyidA : keysR.skeyidA, [u32(infoId)], [body]);
      sendLogged(sealed(info.from, 'INFO', INFO, infoId, payloads), 'INFO', true, payloads);
      if (!fromI && info.notify !== undefined && isErrorNotify(info.notify))
        log.bare(t, `Received ${CLIENT_NOTIFY_NAMES[info.notify]} message`);
      // The SPI a side deletes is the one it receives on: seen from the client, the gateway's is our outbound SA.
      if (info.delete === 'ipsec')
        log.line(t, `Deleting IPsec SA (ESP ${fromI ? 'INBOUND' : 'OUTBOUND'} SPI = ${hexBare(fromI ? spiI : spiR)})`);
      if (info.delete === 'ike') {
        log.line(t, `Deleting IKE SA (IP ADDR=${s.responder}) (MY COOKIE ${clientCookie(ci)})`);
        break;
      }
    }
  }

  /** `[HASH, ...rest]` with HASH = prf(SKEYID_a, prefix | rest-as-encoded) (RFC 2409 5.5, 5.7, quick mode and informational). */
  function withHash(skeyidA: Uint8Array, prefix: readonly Uint8Array[], rest: Payload[]): Payload[] {
    const restBytes = encodePlaintext({ payloads: [build.hash(new Uint8Array(hash.outputLength)), ...rest] }).subarray(
      4 + hash.outputLength,
    );
    return [build.hash(prf(hash, skeyidA, ...prefix, restBytes)), ...rest];
  }

  // A failed negotiation ends in silence: the capture goes on (one frame that is not IKE, at the give-up moment)
  // so it shows that silence, as a capture left running does.
  const capture = writeUdpCapture(
    endMarker === undefined
      ? datagrams
      : [
          ...datagrams,
          {
            src: s.initiator,
            dst: s.responder,
            srcPort: 33434,
            dstPort: 33434,
            payload: ascii('end of capture'),
            time: { seconds: Math.floor(endMarker / 1000), nanoseconds: (endMarker % 1000) * 1_000_000 },
          },
        ],
  );
  return {
    scenario: s,
    capture,
    keys: keyed
      ? {
          json: formatKeysJson([exported], {
            source: `synthesized by @oaklog/synth from scenario ${s.name}, seed ${s.seed}`,
          }),
          wiresharkTable: formatWiresharkKeyTable([exported]),
        }
      : undefined,
    expectedLog: log.text(),
    frames,
  };
}

function hex8(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, '0');
}

function hexBare(spi: Uint8Array): string {
  return BigInt(`0x${toHex(spi)}`)
    .toString(16)
    .toUpperCase();
}

/** The client's word for a payload in a message's list. */
function itemName(p: Payload): string {
  switch (p.type) {
    case 1:
      return 'SA';
    case 4:
      return 'KE';
    case 5:
      return 'ID';
    case 8:
      return 'HASH';
    case 10:
      return 'NON';
    case 11: {
      const type = (p as { messageType: number }).messageType;
      const name = CLIENT_NOTIFY_NAMES[type];
      if (name === undefined) throw new ScenarioError('informational', `no client name for notify ${type}`);
      return `NOTIFY:${name}`;
    }
    case 12:
      return 'DEL';
    case 13:
      return 'VID';
    case 20:
      return 'NAT-D';
    default:
      throw new ScenarioError('$', `the synthesizer sends no payload of type ${p.type}`);
  }
}
