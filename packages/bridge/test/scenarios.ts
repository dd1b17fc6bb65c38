/**
 * The four troubleshooting scenarios the client documents, rebuilt as datagrams with isakmp's builders: the same
 * exchanges, payload chains, cookies, message id, SPIs, addresses and times as the golden View Logs in corpus/logs show.
 * Encrypted messages carry a stand-in ciphertext (the plaintext's own encoding) and their decrypted chain is handed to
 * the session, as a caller holding the keys would.
 */
import { build, encode, encodePlaintext, HeaderFlag, type Payload } from '@oaklog/isakmp';
import type { SessionDatagram, SessionOptions } from '../src/index';

/** One datagram of a scenario with its decrypted chain. */
export interface ScenarioStep {
  readonly datagram: SessionDatagram;
  readonly plaintext?: readonly Payload[];
}

/** A scenario: session options and the datagrams in order. */
export interface Scenario {
  readonly name: string;
  /** The golden View Log it reproduces (corpus/logs). */
  readonly golden: string;
  readonly options: SessionOptions;
  readonly steps: readonly ScenarioStep[];
  /** When the capture ended (the golden's last line), for lines written at the end; default the last datagram's. */
  readonly end?: { seconds: number; nanoseconds: number };
}

const US = '192.0.2.10';
const PEER = '198.51.100.7';
const MY_COOKIE = Uint8Array.of(0x1f, 0xf5, 0xe4, 0x0d, 0x84, 0x30, 0xf9, 0x5c);
const HIS_COOKIE = Uint8Array.of(0x4c, 0xaf, 0x1f, 0x2c, 0x20, 0x16, 0xd0, 0xec);
const NONE = new Uint8Array(8);
const QM_ID = 0x61965c8d;
const ESP = 3;
const DAY = Date.UTC(2001, 4, 17) / 1000;

/** A capture time on a fixed day from `HH:MM:SS.mmm`. */
function at(clock: string): { seconds: number; nanoseconds: number } {
  const [h, m, s] = clock.split(':');
  const [whole, ms] = (s ?? '0.0').split('.');
  return { seconds: DAY + Number(h) * 3600 + Number(m) * 60 + Number(whole), nanoseconds: Number(ms) * 1e6 };
}

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed * 31 + i * 7) & 0xff);
}

function spi(value: number): Uint8Array {
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

interface Step {
  from: 'us' | 'peer';
  time: string;
  exchange: number;
  payloads: Payload[];
  encrypted?: boolean;
  messageId?: number;
  responderCookie?: Uint8Array;
  flags?: number;
}

function steps(list: readonly Step[]): ScenarioStep[] {
  return list.map((s) => {
    const common = {
      initiatorCookie: MY_COOKIE,
      responderCookie: s.responderCookie ?? HIS_COOKIE,
      exchangeType: s.exchange,
      messageId: s.messageId ?? 0,
      flags: s.flags ?? 0,
    };
    const message = s.encrypted
      ? build.message({
          ...common,
          encrypted: encodePlaintext({ payloads: s.payloads }),
          nextPayload: s.payloads[0]?.type ?? 0,
        })
      : build.message({ ...common, payloads: s.payloads });
    const datagram: SessionDatagram = {
      bytes: encode(message),
      src: s.from === 'us' ? US : PEER,
      dst: s.from === 'us' ? PEER : US,
      time: at(s.time),
    };
    return s.encrypted ? { datagram, plaintext: s.payloads } : { datagram };
  });
}

const MM = 2;
const AG = 4;
const INFO = 5;
const QM = 32;

const phase1Sa = build.sa({ proposals: [build.proposal({ transforms: [build.transform({ id: 1 })] })] });
const id = (address: string) => build.id({ idType: 1, value: { address } });

function mainMode(times: readonly string[]): Step[] {
  return [
    { from: 'us', time: times[0]!, exchange: MM, payloads: [phase1Sa], responderCookie: NONE },
    { from: 'peer', time: times[1]!, exchange: MM, payloads: [phase1Sa] },
    {
      from: 'us',
      time: times[2]!,
      exchange: MM,
      payloads: [
        build.ke(bytes(128, 1)),
        build.nonce(bytes(20, 2)),
        build.vendorId(bytes(16, 3)),
        build.vendorId(bytes(16, 4)),
      ],
    },
    { from: 'peer', time: times[3]!, exchange: MM, payloads: [build.ke(bytes(128, 5)), build.nonce(bytes(20, 6))] },
    {
      from: 'us',
      time: times[4]!,
      exchange: MM,
      encrypted: true,
      payloads: [id(US), build.hash(bytes(20, 7)), build.notification({ messageType: 24578 })],
    },
    { from: 'peer', time: times[5]!, exchange: MM, encrypted: true, payloads: [id(PEER), build.hash(bytes(20, 8))] },
  ];
}

const qmFirst = (): Payload[] => [
  build.hash(bytes(20, 9)),
  build.sa({
    proposals: [build.proposal({ protocolId: ESP, spi: spi(0x493b30cc), transforms: [build.transform({ id: 3 })] })],
  }),
  build.nonce(bytes(20, 10)),
  id(US),
  id(PEER),
];

/** Successful main mode with a pre-shared key, then quick mode with the commit bit (corpus/logs/safenet-mm-psk-timed.log). */
export const mainModeScenario: Scenario = {
  name: 'main mode, pre-shared key',
  golden: 'logs/safenet-mm-psk-timed.log',
  options: { local: US, connection: 'Pre-share' },
  steps: steps([
    ...mainMode(['01:38:02.581', '01:38:02.764', '01:38:02.805', '01:38:03.112', '01:38:03.257', '01:38:03.421']),
    { from: 'us', time: '01:38:03.675', exchange: QM, messageId: QM_ID, encrypted: true, payloads: qmFirst() },
    {
      from: 'peer',
      time: '01:38:03.908',
      exchange: QM,
      messageId: QM_ID,
      encrypted: true,
      flags: HeaderFlag.COMMIT,
      payloads: [
        build.hash(bytes(20, 11)),
        build.sa({
          proposals: [build.proposal({ protocolId: ESP, spi: spi(0x405), transforms: [build.transform({ id: 3 })] })],
        }),
        build.notification({ messageType: 24576, protocolId: ESP, spi: spi(0x405) }),
        build.nonce(bytes(20, 12)),
        id(US),
        id(PEER),
      ],
    },
    {
      from: 'us',
      time: '01:38:03.921',
      exchange: QM,
      messageId: QM_ID,
      encrypted: true,
      payloads: [build.hash(bytes(20, 13))],
    },
    {
      from: 'peer',
      time: '01:38:04.080',
      exchange: QM,
      messageId: QM_ID,
      encrypted: true,
      flags: HeaderFlag.COMMIT,
      payloads: [
        build.hash(bytes(20, 14)),
        build.notification({ messageType: 16384, protocolId: ESP, spi: spi(0x405) }),
      ],
    },
  ]),
};

/** Successful aggressive mode (corpus/logs/safenet-ag-psk-timed.log). */
export const aggressiveModeScenario: Scenario = {
  name: 'aggressive mode, pre-shared key',
  golden: 'logs/safenet-ag-psk-timed.log',
  options: { local: US, connection: 'Pre-share' },
  steps: steps([
    {
      from: 'us',
      time: '14:02:17.310',
      exchange: AG,
      responderCookie: NONE,
      payloads: [
        phase1Sa,
        build.ke(bytes(128, 1)),
        build.nonce(bytes(20, 2)),
        id(US),
        build.vendorId(bytes(16, 3)),
        build.vendorId(bytes(16, 4)),
      ],
    },
    {
      from: 'peer',
      time: '14:02:17.642',
      exchange: AG,
      payloads: [phase1Sa, build.ke(bytes(128, 5)), build.nonce(bytes(20, 6)), id(PEER), build.hash(bytes(20, 7))],
    },
    { from: 'us', time: '14:02:17.795', exchange: AG, encrypted: true, payloads: [build.hash(bytes(20, 8))] },
  ]),
};

const firstSa: Step = { from: 'us', time: '09:14:41.020', exchange: MM, payloads: [phase1Sa], responderCookie: NONE };

/** The peer never answers: main mode retransmitted until the client gives up (safenet-peer-not-responding-timed.log). */
export const peerNotRespondingScenario: Scenario = {
  name: 'peer not responding',
  golden: 'logs/safenet-peer-not-responding-timed.log',
  options: { local: US, connection: 'Demo' },
  steps: steps([
    firstSa,
    { ...firstSa, time: '09:14:51.024' },
    { ...firstSa, time: '09:15:01.026' },
    { ...firstSa, time: '09:15:41.029' },
  ]),
  // The client gave up 30 s after its last resend: a capture that long shows the silence `Exceeded` needs.
  end: at('09:16:11.034'),
};

const qmOffer: Step = {
  from: 'us',
  time: '16:44:05.300',
  exchange: QM,
  messageId: QM_ID,
  encrypted: true,
  payloads: qmFirst(),
};

/** The peer rejects the quick-mode proposal (corpus/logs/safenet-qm-no-proposal-chosen-timed.log). */
export const quickModeNoProposalScenario: Scenario = {
  name: 'quick mode, no proposal chosen',
  golden: 'logs/safenet-qm-no-proposal-chosen-timed.log',
  options: { local: US, connection: 'Demo' },
  steps: steps([
    ...mainMode(['16:44:04.100', '16:44:04.300', '16:44:04.500', '16:44:04.700', '16:44:04.900', '16:44:05.100']),
    qmOffer,
    {
      from: 'peer',
      time: '16:44:05.518',
      exchange: INFO,
      messageId: 0x1234abcd,
      encrypted: true,
      payloads: [build.hash(bytes(20, 15)), build.notification({ messageType: 14, protocolId: ESP })],
    },
    { ...qmOffer, time: '16:44:15.523' },
  ]),
};

/** All four. */
export const scenarios: readonly Scenario[] = [
  mainModeScenario,
  aggressiveModeScenario,
  peerNotRespondingScenario,
  quickModeNoProposalScenario,
];
