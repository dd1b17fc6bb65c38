/**
 * The conversation model on captures built as a network engineer meets them (written with @oaklog/pcap's
 * writeUdpCapture, read back with readCaptureBytes): a gateway with several clients, a reflection of SA-only
 * responses from many hosts, two crossing initiations, a capture cut mid-exchange, an early failed attempt followed
 * by a success, quick modes without their evidence. Each rule fails without the conversation model: keyed by the
 * initiator cookie alone, seen from the first sender, counting messages without asking who sent them.
 */
import { getCapture, listCaptures, readCorpusBytes } from '@oaklog/corpus';
import { build, encode, encodePlaintext, type Payload } from '@oaklog/isakmp';
import { readCaptureBytes, type TimedDatagram, writeUdpCapture } from '@oaklog/pcap';
import { parse } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { createViewPipeline, type ViewOptions, viewLog } from '../src/index';

const MM = 2;
const QM = 32;
const INFO = 5;
const ZERO = new Uint8Array(8);
const cookie = (n: number) => Uint8Array.of(0xc0, 0, 0, 0, 0, 0, 0, n);

interface Msg {
  from: string;
  to: string;
  t: number;
  ic: Uint8Array;
  rc?: Uint8Array;
  exchange?: number;
  messageId?: number;
  payloads: Payload[];
  encrypted?: boolean;
}

function datagram(m: Msg): TimedDatagram {
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
  return {
    src: m.from,
    dst: m.to,
    srcPort: 500,
    dstPort: 500,
    payload: encode(message),
    time: { seconds: 1_000_000 + Math.floor(m.t), nanoseconds: Math.round((m.t % 1) * 1e9) },
  };
}

/** A whole main mode between an initiator and a responder, from time `t` on (MM5/MM6 encrypted, unique bytes). */
function mainMode(i: string, r: string, ic: Uint8Array, rc: Uint8Array, t: number): Msg[] {
  const sa = build.sa({ proposals: [] });
  const vid = (n: number) => build.vendorId(Uint8Array.of(n, ic[7] ?? 0, 1, 2));
  return [
    { from: i, to: r, t, ic, payloads: [sa] },
    { from: r, to: i, t: t + 0.01, ic, rc, payloads: [sa] },
    { from: i, to: r, t: t + 0.02, ic, rc, payloads: [build.ke(new Uint8Array(8).fill(1)), vid(1)] },
    { from: r, to: i, t: t + 0.03, ic, rc, payloads: [build.ke(new Uint8Array(8).fill(2)), vid(2)] },
    { from: i, to: r, t: t + 0.04, ic, rc, payloads: [build.hash(new Uint8Array(20).fill(5))], encrypted: true },
    { from: r, to: i, t: t + 0.05, ic, rc, payloads: [build.hash(new Uint8Array(20).fill(6))], encrypted: true },
  ];
}

function capture(messages: readonly Msg[]): Uint8Array {
  return writeUdpCapture([...messages].sort((a, b) => a.t - b.t).map(datagram));
}

function lines(bytes: Uint8Array, options: ViewOptions = {}): string[] {
  const text = viewLog(readCaptureBytes(bytes), options);
  const r = parse(text);
  expect(r.diagnostics).toEqual([]);
  return text.split('\n').filter((l) => l !== '');
}

const G = '203.0.113.1';
const clients: [string, string, string] = ['198.51.100.11', '198.51.100.12', '198.51.100.13'];

describe('a gateway-side capture with several clients', () => {
  // Three clients negotiate with the gateway at once, their messages interleaved.
  const messages = clients.flatMap((c, n) => mainMode(c, G, cookie(n + 1), cookie(0x80 + n), 0.001 * n));
  const bytes = capture(messages);

  it('is one log in time order with one conversation per IKE SA, each from its client (initiator) side', () => {
    const out = lines(bytes);
    expect(out.filter((l) => l.includes('Initiating IKE Phase 1'))).toHaveLength(3);
    expect(out.filter((l) => l.includes('Established IKE SA'))).toHaveLength(3);
    expect(out.filter((l) => l.includes('RECEIVED<<<< ISAKMP OAK MM (SA)'))).toHaveLength(3);
    // Every client sees the gateway as its peer; the conversations after the first carry the client's address too.
    const names = new Set(out.map((l) => / (\S+(?: \([^)]*\))?) - /.exec(l)?.[1]).filter((x) => x !== undefined));
    expect(names).toEqual(new Set([G, `${G} (${clients[1]})`, `${G} (${clients[2]})`]));
  });

  it('with --local the gateway is "us": the clients are the peers, one connection name each', () => {
    const out = lines(bytes, { local: G });
    for (const c of clients) {
      expect(out.filter((l) => l.includes(` ${c} - RECEIVED<<<< ISAKMP OAK MM (SA)`))).toHaveLength(1);
      expect(out.filter((l) => l.includes(` ${c} - Established IKE SA`))).toHaveLength(1);
    }
    expect(out.some((l) => l.includes('Initiating IKE Phase 1'))).toBe(false);
  });

  it('--peer and --cookie pick conversations', () => {
    const peer = lines(bytes, { local: G, peer: clients[1] });
    expect(peer.filter((l) => l.includes('ISAKMP OAK'))).toHaveLength(6);
    expect(peer.every((l) => !l.includes(' - ') || l.includes(` ${clients[1]} - `))).toBe(true);
    const byCookie = lines(bytes, { local: G, cookie: 'c000000000000003' });
    expect(byCookie.filter((l) => l.includes('ISAKMP OAK'))).toHaveLength(6);
    expect(byCookie.every((l) => !l.includes(' - ') || l.includes(` ${clients[2]} - `))).toBe(true);
  });
});

describe('an IKE SA across an address change behind NAT', () => {
  it('stays one conversation: the cookies name it, and the directions follow its two sides', () => {
    const A = '192.0.2.1';
    const B = '192.0.2.2';
    const nat = '198.51.100.77';
    const mm = mainMode(A, B, cookie(1), cookie(0x81), 0).map((m, i) =>
      i < 4 ? m : m.from === A ? { ...m, from: nat } : { ...m, to: nat },
    );
    const out = lines(capture(mm));
    expect(out.filter((l) => l.includes('SENDING>>>>'))).toHaveLength(3);
    expect(out.filter((l) => l.includes('RECEIVED<<<<'))).toHaveLength(3);
    expect(out.filter((l) => l.includes('Established IKE SA'))).toHaveLength(1);
    expect(out.every((l) => !l.includes(' - ') || l.includes(` ${B} - `))).toBe(true);
  });
});

describe('a reflection capture: SA-only responses from many hosts', () => {
  const victim = '192.0.2.50';
  const ic = cookie(9);
  const hosts = Array.from({ length: 6 }, (_, i) => `198.51.100.${100 + i}`);
  const bytes = capture(
    hosts.map((h, i) => ({
      from: h,
      to: victim,
      t: i * 0.1,
      ic,
      rc: cookie(0x40 + i),
      payloads: [build.sa({ proposals: [] })],
    })),
  );

  it('gives six conversations, each a response received from its host, and no outcome', () => {
    const out = lines(bytes);
    expect(out).toHaveLength(6);
    for (const h of hosts)
      expect(out.filter((l) => l.endsWith(`${h} - RECEIVED<<<< ISAKMP OAK MM (SA)`))).toHaveLength(1);
    expect(out.join('\n')).not.toMatch(/Established|Exceeded|Initiating|SENDING/);
  });
});

describe('two crossing initiations between the same two hosts', () => {
  const A = '192.0.2.1';
  const B = '192.0.2.2';
  const ab = mainMode(A, B, cookie(1), cookie(0x81), 0);
  const ba = mainMode(B, A, cookie(2), cookie(0x82), 0.005);
  const out = lines(capture([...ab, ...ba]));

  it('are two conversations, each shown from its own initiator, never one as the reply to the other', () => {
    expect(out.filter((l) => l.includes('Initiating IKE Phase 1'))).toEqual([
      expect.stringContaining(`${B} - Initiating IKE Phase 1 (IP ADDR=${B})`),
      expect.stringContaining(`${A} - Initiating IKE Phase 1 (IP ADDR=${A})`),
    ]);
    // B's MM1 is SENDING in B's conversation, named after A; A's conversation receives only B's answers to it.
    expect(out.filter((l) => l.includes(`${B} - RECEIVED<<<< ISAKMP OAK MM (SA)`))).toHaveLength(1);
    expect(out.filter((l) => l.includes(`${A} - SENDING>>>> ISAKMP OAK MM (SA)`))).toHaveLength(1);
    expect(out.filter((l) => l.includes('Established IKE SA'))).toHaveLength(2);
  });
});

describe('two IKE SAs negotiated at once by the same two hosts (or two clients behind one NAT address)', () => {
  const A = '192.0.2.1';
  const B = '192.0.2.2';
  const first = mainMode(A, B, cookie(1), cookie(0x81), 0);
  const second = mainMode(A, B, cookie(2), cookie(0x82), 0.005);
  const out = lines(capture([...first, ...second]));

  it('are two conversations, the second named `<peer> #2`, so their interleaved lines stay apart', () => {
    expect(out.filter((l) => l.includes('Initiating IKE Phase 1'))).toEqual([
      expect.stringContaining(`${B} - Initiating IKE Phase 1 (IP ADDR=${B})`),
      expect.stringContaining(`${B} #2 - Initiating IKE Phase 1 (IP ADDR=${B})`),
    ]);
    const named = (name: string) => out.filter((l) => l.includes(`${name} - `) && l.includes('ISAKMP OAK'));
    expect(named(B).filter((l) => !l.includes(`${B} #2`))).toHaveLength(6);
    expect(named(`${B} #2`)).toHaveLength(6);
    expect(out.filter((l) => l.includes('Established IKE SA'))).toHaveLength(2);
  });

  it('a retry after the first one failed or went silent keeps the name', () => {
    const failed = mainMode(A, B, cookie(1), cookie(0x81), 0).slice(0, 5);
    const notify: Msg = {
      from: B,
      to: A,
      t: 0.06,
      ic: cookie(1),
      rc: cookie(0x81),
      exchange: INFO,
      messageId: 9,
      payloads: [build.notification({ protocolId: 1, messageType: 24 })],
    };
    const retry = lines(capture([...failed, notify, ...mainMode(A, B, cookie(2), cookie(0x82), 1)]));
    expect(retry.join('\n')).not.toContain('#2');
    // Two minutes later, with the first never finished: not at the same time either.
    const later = lines(capture([...failed, ...mainMode(A, B, cookie(2), cookie(0x82), 120)]));
    expect(later.join('\n')).not.toContain('#2');
  });
});

describe('a capture cut mid-exchange', () => {
  const A = '192.0.2.1';
  const B = '192.0.2.2';
  const mm1: Msg = { from: A, to: B, t: 0, ic: cookie(1), payloads: [build.sa({ proposals: [] })] };

  it('ends where the capture ends: a resend and no "Exceeded", and the summary says it was cut', () => {
    const p = createViewPipeline();
    const items = [...readCaptureBytes(capture([mm1, { ...mm1, t: 1 }]))];
    const text = [...items.flatMap((x) => p.push(x)), ...p.finish()]
      .flatMap((x) => (x.kind === 'event' ? x.lines : []))
      .join('\n');
    expect(text).toMatch(/SENDING>>>> ISAKMP OAK MM \(Retransmission\)$/);
    expect(text).not.toMatch(/Exceeded|Established/);
    expect(p.summary.cut).toBe(1);
  });

  it('a capture that goes on past the last resend (a frame that is not IKE) shows the silence: "Exceeded" at that frame', () => {
    const later: TimedDatagram = {
      src: A,
      dst: B,
      srcPort: 33434,
      dstPort: 33434,
      payload: Uint8Array.of(1, 2, 3),
      time: { seconds: 1_000_031, nanoseconds: 0 },
    };
    const bytes = writeUdpCapture([datagram(mm1), datagram({ ...mm1, t: 1 }), later]);
    const p = createViewPipeline();
    const out = [...readCaptureBytes(bytes)].flatMap((x) => p.push(x));
    const text = [...out, ...p.finish()].flatMap((x) => (x.kind === 'event' ? x.lines : [])).join('\n');
    expect(text).toMatch(/\n13:47:11\.000 192\.0\.2\.2 - Exceeded 1 IKE SA negotiation attempts$/);
    expect(p.summary.cut).toBe(0);
  });
  it('does not call a conversation cut when it was only released to make room mid-capture', () => {
    const p = createViewPipeline({ maxConversations: 1 });
    // Half a second after the resend: less than the interval between the sends, so no evidence the client gave up.
    const next: Msg = { ...mm1, t: 1.5, ic: cookie(2) };
    const items = [...readCaptureBytes(capture([mm1, { ...mm1, t: 1 }, next]))];
    const text = [...items.flatMap((x) => p.push(x)), ...p.finish()]
      .flatMap((x) => (x.kind === 'event' ? x.lines : []))
      .join('\n');
    // The first negotiation was resent, then forgotten for the second: the capture neither ends there nor shows
    // the silence an "Exceeded" line needs.
    expect(text).toMatch(/MM \(Retransmission\)/);
    expect(text).not.toMatch(/Exceeded/);
    expect(p.summary.cut).toBe(0);
  });

  it('shows "Exceeded" only when the capture shows the silence after the resends', () => {
    const other: Msg = {
      from: '192.0.2.9',
      to: '192.0.2.8',
      t: 30,
      ic: cookie(7),
      payloads: [build.sa({ proposals: [] })],
    };
    const out = lines(capture([mm1, { ...mm1, t: 1 }, { ...mm1, t: 3 }, other]));
    expect(out.at(-1)).toMatch(/192\.0\.2\.2 - Exceeded 2 IKE SA negotiation attempts$/);
  });
});

describe('an early failed attempt followed by a success', () => {
  const A = '192.0.2.1';
  const B = '192.0.2.2';
  const failed = mainMode(A, B, cookie(1), cookie(0x81), 0).slice(0, 4);
  const notify: Msg = {
    from: B,
    to: A,
    t: 0.04,
    ic: cookie(1),
    rc: cookie(0x81),
    exchange: INFO,
    messageId: 7,
    payloads: [build.notification({ protocolId: 1, messageType: 14 })],
  };
  const out = lines(capture([...failed, notify, ...mainMode(A, B, cookie(2), cookie(0x82), 5)]));

  it('shows both attempts in order, Established only for the one that completed, after its own MM6', () => {
    expect(out.filter((l) => l.includes('Initiating IKE Phase 1'))).toHaveLength(2);
    const established = out.findIndex((l) => l.includes('Established IKE SA'));
    expect(out.filter((l) => l.includes('Established IKE SA'))).toHaveLength(1);
    expect(out.findIndex((l) => l.includes('Received NO_PROPOSAL_CHOSEN message'))).toBeLessThan(established);
    expect(out[established + 1]).toBe('   MY COOKIE c0 0 0 0 0 0 0 2');
  });
});

describe('outcomes only on evidence', () => {
  const A = '192.0.2.1';
  const B = '192.0.2.2';

  it('six main-mode messages from one side are not an IKE SA', () => {
    const mm = mainMode(A, B, cookie(1), cookie(0x81), 0).map((m, i) => ({
      ...m,
      from: A,
      to: B,
      payloads: [build.vendorId(Uint8Array.of(i, 9, 9, 9))],
    }));
    expect(lines(capture(mm)).join('\n')).not.toMatch(/Established/);
  });

  it('MM6 answered by a resend of MM5, or by an error notify, is not an established IKE SA', () => {
    const mm = mainMode(A, B, cookie(1), cookie(0x81), 0);
    const mm5 = mm[4] as Msg;
    expect(lines(capture([...mm, { ...mm5, t: 5 }])).join('\n')).not.toMatch(/Established/);
    const notify: Msg = {
      from: A,
      to: B,
      t: 1,
      ic: cookie(1),
      rc: cookie(0x81),
      exchange: INFO,
      messageId: 9,
      payloads: [build.notification({ protocolId: 1, messageType: 24 })],
    };
    expect(lines(capture([...mm, notify])).join('\n')).not.toMatch(/Established/);
    // Anything else confirms it, at MM6's place in the log: before the next message, in time order.
    const next = lines(
      capture([...mm, { ...notify, payloads: [build.notification({ protocolId: 1, messageType: 24578 })] }]),
    );
    const mm6 = next.map((l) => l.includes('RECEIVED<<<< ISAKMP OAK MM *(HASH)')).lastIndexOf(true);
    expect(next.findIndex((l) => l.includes('Established IKE SA'))).toBe(mm6 + 1);
    expect(lines(capture(mm)).filter((l) => l.includes('Established IKE SA'))).toHaveLength(1);
  });

  it('a resend of MM5 takes MM6 back even when another conversation spoke in between; the log keeps capture order', () => {
    const C = '192.0.2.3';
    const mm = mainMode(A, B, cookie(1), cookie(0x81), 0);
    const mm5 = mm[4] as Msg;
    // Another client's first message between our MM6 and the resend of MM5.
    const other: Msg = { from: C, to: B, t: 0.2, ic: cookie(2), payloads: [build.sa({ proposals: [] })] };
    const resent = lines(capture([...mm, other, { ...mm5, t: 2 }]));
    expect(resent.join('\n')).not.toMatch(/Established/);
    const times = resent.map((l) => l.slice(0, 12));
    expect([...times].sort()).toEqual(times);
    // Without the resend the line stands, at MM6's place: before the other conversation's line.
    const confirmed = lines(capture([...mm, other, { ...(mm[4] as Msg), t: 2, messageId: 7, exchange: INFO }]));
    const established = confirmed.findIndex((l) => l.includes('Established IKE SA'));
    expect(established).toBeGreaterThan(0);
    expect(confirmed[established - 1]).toContain('RECEIVED<<<< ISAKMP OAK MM *(HASH)');
    expect(confirmed.findIndex((l) => l.includes('192.0.2.3'))).toBeGreaterThan(established);
  });

  it('an Established line waits at most 30 s of capture time for a resend of MM5, then stands', () => {
    const C = '192.0.2.3';
    const mm = mainMode(A, B, cookie(1), cookie(0x81), 0);
    const others: Msg[] = [1, 40].map((t, n) => ({
      from: C,
      to: B,
      t,
      ic: cookie(2 + n),
      payloads: [build.sa({ proposals: [] })],
    }));
    const pipeline = createViewPipeline();
    const items = [...readCaptureBytes(capture([...mm, ...others]))].flatMap((x) => pipeline.push(x));
    // Handed out at the datagram 40 s later, before its line: the conversation said nothing more, and nothing against it.
    const text = items.flatMap((x) => (x.kind === 'event' ? x.lines : []));
    expect(text.filter((l) => l.includes('Established IKE SA'))).toHaveLength(1);
    const mm6 = items.find((x) => x.kind === 'event' && x.event.kind === 'ike-sa-established');
    expect(mm6?.kind === 'event' && mm6.frame).toBe(6);
  });

  it('a quick mode is loaded only on the initiator third message, not on three messages from one side', () => {
    const qm = (from: string, to: string, t: number, n: number): Msg => ({
      from,
      to,
      t,
      ic: cookie(1),
      rc: cookie(0x81),
      exchange: QM,
      messageId: 0x1234,
      encrypted: true,
      payloads: [build.hash(new Uint8Array(20).fill(n)), build.sa({ proposals: [] })],
    });
    const base = mainMode(A, B, cookie(1), cookie(0x81), 0);
    const oneSided = lines(capture([...base, qm(A, B, 1, 1), qm(A, B, 2, 2), qm(A, B, 3, 3)]));
    expect(oneSided.join('\n')).not.toMatch(/Loading IPsec SA/);
  });
});

/**
 * Published captures whose conversations differ from tshark's IKEv1 cookies because of a product bug (reported, not
 * fixed here); asserted the other way round, so that the fix shows up and asks for the entry to go.
 */
const KNOWN_PRODUCT_BUGS: Readonly<Record<string, string>> = {
  // None today (tcpdump isakmp-pointer-loop, a header length of 0, no longer opens a conversation).
};

describe('corpus: the conversations are the IKE SAs tshark shows', () => {
  it.each(listCaptures().map((c) => c.name))('%s', (name) => {
    const c = getCapture(name);
    const p = createViewPipeline();
    for (const item of readCaptureBytes(readCorpusBytes(c.path))) p.push(item);
    p.finish();
    const { conversations, released } = p.stats();
    // tshark's initiator cookies (isakmp.ispi), one IKE SA each in these captures; IKEv1 only (IKEv2 stays out of the
    // View Log, so out of the conversations).
    const expected = new Set(c.expect?.ikev1Sas ?? c.expect?.ikeSas ?? []).size;
    if (KNOWN_PRODUCT_BUGS[name] !== undefined) expect(conversations + released).not.toBe(expected);
    else expect(conversations + released).toBe(expected);
  });
});
