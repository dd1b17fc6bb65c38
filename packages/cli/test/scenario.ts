/**
 * Scenario captures for the CLI tests, built as the pipeline's conversation tests build them: messages from
 * `@oaklog/isakmp`'s builders, written as a pcap by `@oaklog/pcap`'s `writeUdpCapture`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, encode, encodePlaintext, type Payload } from '@oaklog/isakmp';
import { type TimedDatagram, writeUdpCapture } from '@oaklog/pcap';

export const MM = 2;
export const INFO = 5;
const ZERO = new Uint8Array(8);

/** A cookie `c0 00 00 00 00 00 00 nn`. */
export const cookie = (n: number): Uint8Array => Uint8Array.of(0xc0, 0, 0, 0, 0, 0, 0, n);

/** One ISAKMP message between two hosts at time `t` (seconds from the capture's start). */
export interface Msg {
  from: string;
  to: string;
  t: number;
  ic: Uint8Array;
  rc?: Uint8Array;
  exchange?: number;
  messageId?: number;
  payloads: Payload[];
  encrypted?: boolean;
  port?: number;
}

export function datagram(m: Msg): TimedDatagram {
  const common = {
    initiatorCookie: m.ic,
    responderCookie: m.rc ?? ZERO,
    exchangeType: m.exchange ?? MM,
    messageId: m.messageId ?? 0,
  };
  const message = m.encrypted
    ? build.message({
        ...common,
        encrypted: encodePlaintext({ payloads: m.payloads }),
        nextPayload: m.payloads[0]?.type ?? 0,
      })
    : build.message({ ...common, payloads: m.payloads });
  return raw(m, encode(message));
}

/** A datagram carrying `payload` as it is (an IKEv2 message, a damaged one, DNS). */
export function raw(m: Pick<Msg, 'from' | 'to' | 't' | 'port'>, payload: Uint8Array): TimedDatagram {
  const port = m.port ?? 500;
  return {
    src: m.from,
    dst: m.to,
    srcPort: port,
    dstPort: port,
    payload,
    time: { seconds: 1_000_000 + Math.floor(m.t), nanoseconds: Math.round((m.t % 1) * 1e9) },
  };
}

/**
 * A whole main mode from `t` on, `dt` apart (MM5 and MM6 encrypted, each message's bytes unique to its cookies); take
 * a prefix of it for a negotiation that stops early.
 */
export function mainMode(i: string, r: string, ic: Uint8Array, rc: Uint8Array, t: number, dt = 0.01): Msg[] {
  const sa = build.sa({ proposals: [] });
  const vid = (n: number) => build.vendorId(Uint8Array.of(n, ic[7] ?? 0, 1, 2));
  return [
    { from: i, to: r, t, ic, payloads: [sa] },
    { from: r, to: i, t: t + dt, ic, rc, payloads: [sa] },
    { from: i, to: r, t: t + 2 * dt, ic, rc, payloads: [build.ke(new Uint8Array(8).fill(1)), vid(1)] },
    { from: r, to: i, t: t + 3 * dt, ic, rc, payloads: [build.ke(new Uint8Array(8).fill(2)), vid(2)] },
    { from: i, to: r, t: t + 4 * dt, ic, rc, payloads: [build.hash(new Uint8Array(20).fill(5))], encrypted: true },
    { from: r, to: i, t: t + 5 * dt, ic, rc, payloads: [build.hash(new Uint8Array(20).fill(6))], encrypted: true },
  ];
}

/** An informational message carrying one notify (`24` AUTHENTICATION_FAILED, `14` NO_PROPOSAL_CHOSEN). */
export function notify(from: string, to: string, ic: Uint8Array, rc: Uint8Array, t: number, type: number): Msg {
  return {
    from,
    to,
    t,
    ic,
    rc,
    exchange: INFO,
    messageId: 7,
    payloads: [build.notification({ protocolId: 1, messageType: type })],
  };
}

/** An IKEv2 header (version 2.0) with one payload: IKE_SA_INIT (34) with an SA, or IKE_AUTH (35) with an SK. */
export function ikev2(exchange: 34 | 35): Uint8Array {
  const body =
    exchange === 34 ? Uint8Array.of(0, 0, 0, 8, 0, 0, 0, 0) : Uint8Array.of(0, 0, 0, 20, ...new Uint8Array(16));
  const b = new Uint8Array(28 + body.length);
  b.set(Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), 0);
  b[16] = exchange === 34 ? 33 : 46; // SA, or SK
  b[17] = 0x20;
  b[18] = exchange;
  b[19] = 0x08; // initiator, request
  if (exchange === 35) {
    b.set(Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1), 8);
    b[23] = 1;
  }
  b.set(body, 28);
  if (exchange === 35) b[28] = 35; // SK: first inner payload IDi
  b[27] = b.length;
  return b;
}

/** Writes the datagrams (in time order) as a pcap file `name` under `dir`; returns its path. */
export function writeCapture(dir: string, name: string, datagrams: readonly TimedDatagram[]): string {
  const path = join(dir, name);
  const sorted = [...datagrams].sort(
    (a, b) => a.time.seconds - b.time.seconds || a.time.nanoseconds - b.time.nanoseconds,
  );
  writeFileSync(path, writeUdpCapture(sorted));
  return path;
}

/** `writeCapture` of messages. */
export function writeMessages(dir: string, name: string, messages: readonly Msg[]): string {
  return writeCapture(dir, name, messages.map(datagram));
}
