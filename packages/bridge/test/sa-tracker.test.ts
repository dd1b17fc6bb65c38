import { build, decode, encode, encodePlaintext, HeaderFlag, type Payload } from '@oaklog/isakmp';
import type { CaptureTime } from '@oaklog/pcap';
import { type LogEvent, parse } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import {
  createSession,
  renderCapture,
  type Session,
  type SessionDatagram,
  type SessionOptions,
  type SessionProblem,
} from '../src/index';
import { signature } from './helpers';
import { mainModeScenario, type Scenario } from './scenarios';

const A = '10.1.1.1';
const B = '10.2.2.2';
const IC = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const RC = Uint8Array.of(0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10, 0x11);
const hash = () => build.hash(new Uint8Array(20));

function datagram(
  from: string,
  exchangeType: number,
  payloads: Payload[],
  more: { messageId?: number; flags?: number; encrypted?: boolean; rc?: Uint8Array } = {},
): { d: SessionDatagram; plaintext?: Payload[] } {
  const common = {
    initiatorCookie: IC,
    responderCookie: more.rc ?? RC,
    exchangeType,
    messageId: more.messageId ?? 0,
    flags: more.flags ?? 0,
  };
  const m = more.encrypted
    ? build.message({ ...common, encrypted: encodePlaintext({ payloads }), nextPayload: payloads[0]?.type ?? 0 })
    : build.message({ ...common, payloads });
  const d = { bytes: encode(m), src: from, dst: from === A ? B : A };
  return more.encrypted ? { d, plaintext: payloads } : { d };
}

/**
 * A message as IKE fragments (payload 132) of `size` bytes in unencrypted carriers with its header, in `order` (fragment
 * numbers, default 1..n); the fragment pushed last carries the whole message's plaintext.
 */
function fragmented(
  whole: { d: SessionDatagram; plaintext?: Payload[] },
  size: number,
  order?: readonly number[],
): { d: SessionDatagram; plaintext?: Payload[] }[] {
  const h = decode(whole.d.bytes).header;
  const parts = build.fragments(whole.d.bytes, size, {
    initiatorCookie: h.initiatorCookie,
    responderCookie: h.responderCookie,
    exchangeType: h.exchangeType,
    messageId: h.messageId,
    fragmentId: 1,
  });
  const numbers = order ?? parts.map((_, i) => i + 1);
  return numbers.map((n, i) => {
    const d = { ...whole.d, bytes: encode(parts[n - 1]!) };
    return i === numbers.length - 1 && whole.plaintext ? { d, plaintext: whole.plaintext } : { d };
  });
}

function events(
  options: SessionOptions,
  steps: readonly { d: SessionDatagram; plaintext?: readonly Payload[] }[],
  end?: CaptureTime,
): LogEvent[] {
  const s = createSession(options);
  const lines = [...steps.flatMap((x) => s.push(x.d, x.plaintext)), ...s.finish(end)];
  const r = parse(`${lines.join('\n')}\n`);
  expect(r.diagnostics).toEqual([]);
  return r.events;
}

const sigs = (e: readonly LogEvent[]) => e.map((x) => signature(x));

function fromTheResponder(s: Scenario): LogEvent[] {
  const peer = s.steps[0]!.datagram.dst;
  return events(
    { ...s.options, local: peer },
    s.steps.map((x) => ({ d: x.datagram, ...(x.plaintext ? { plaintext: x.plaintext } : {}) })),
  );
}

describe('point of view', () => {
  it('from the responder: arrows turn, MY COOKIE is the responder cookie, the SPIs swap, nothing is initiated', () => {
    const e = sigs(fromTheResponder(mainModeScenario));
    expect(e).not.toContain('phase1-start 198.51.100.7');
    expect(e.filter((x) => x.startsWith('phase1-start') || x.startsWith('phase2-start'))).toEqual([]);
    expect(e[0]).toBe('received MM (SA)');
    expect(e).toContain('established MY 4c af 1f 2c 20 16 d0 ec HIS 1f f5 e4 d 84 30 f9 5c');
    expect(e.at(-1)).toBe('loading 61965c8d out 493b30cc in 405');
  });

  it('defaults "us" to the sender of the first datagram and the connection to the peer address', () => {
    const s = createSession();
    const lines = s.push(datagram(A, 2, [build.sa({ proposals: [] })], { rc: new Uint8Array(8) }).d);
    expect(lines).toEqual([`${B} - Initiating IKE Phase 1 (IP ADDR=${B})`, `${B} - SENDING>>>> ISAKMP OAK MM (SA)`]);
  });

  it('names the connection after an IPv6 peer that starts like a time with its first group padded', () => {
    for (const [peer, name] of [
      ['12:34::5', '0012:34::5'],
      ['1:23::', '0001:23::'],
      ['1:2::3', '1:2::3'],
      ['2001:db8::2', '2001:db8::2'],
      ['10.1.1.1', '10.1.1.1'],
    ] as const) {
      const d = { ...datagram(A, 5, [hash()]).d, dst: peer, time: { seconds: 0, nanoseconds: 0 } };
      const lines = createSession({ local: A }).push(d);
      expect(lines).toEqual([`00:00:00.000 ${name} - SENDING>>>> ISAKMP OAK INFO (HASH)`]);
      expect(parse(`${lines.join('\n')}\n`).diagnostics).toEqual([]);
    }
  });

  it('prints times in the offset asked for, or none at all', () => {
    const d = { ...datagram(A, 5, [hash()]).d, time: { seconds: 3600, nanoseconds: 1_500_000 } };
    expect(createSession({ connection: 'C', utcOffsetMinutes: 90 }).push(d)).toEqual([
      '02:30:00.001 C - SENDING>>>> ISAKMP OAK INFO (HASH)',
    ]);
    expect(createSession({ connection: 'C', timestamps: false }).push(d)).toEqual([
      'C - SENDING>>>> ISAKMP OAK INFO (HASH)',
    ]);
  });
});

describe('phase 2', () => {
  const qm1 = (ids: Payload[], spi = Uint8Array.of(0, 0, 0x12, 0x34)) =>
    datagram(
      A,
      32,
      [
        hash(),
        build.sa({ proposals: [build.proposal({ protocolId: 3, spi, transforms: [] })] }),
        build.nonce(new Uint8Array(8)),
        ...ids,
      ],
      { messageId: 0x0abc, encrypted: true },
    );
  const qm2 = datagram(
    B,
    32,
    [
      hash(),
      build.sa({
        proposals: [build.proposal({ protocolId: 3, spi: Uint8Array.of(0xde, 0xad, 0xbe, 0xef), transforms: [] })],
      }),
      build.nonce(new Uint8Array(8)),
    ],
    { messageId: 0x0abc, encrypted: true },
  );
  const qm3 = datagram(A, 32, [hash()], { messageId: 0x0abc, encrypted: true });

  it('without client IDs the exchange is between the IKE peers, and the SA loads after the third message', () => {
    const e = sigs(events({ local: A, connection: 'C' }, [qm1([]), qm2, qm3]));
    expect(e).toEqual([
      `phase2-start abc IP ADDR=${A}, prot = 0 port = 0 IP ADDR=${B}, prot = 0 port = 0`,
      'sent QM *(HASH, SA, NON)',
      'received QM *(HASH, SA, NON)',
      'sent QM *(HASH)',
      'loading abc out deadbeef in 1234',
    ]);
  });

  it('prints subnet and range client IDs with their protocol and port', () => {
    const ids = [
      build.id({ idType: 4, value: { address: '10.1.0.0', mask: '255.255.0.0' }, protocolId: 17, port: 500 }),
      build.id({ idType: 7, value: { start: '10.2.0.1', end: '10.2.0.9' } }),
    ];
    const e = sigs(events({ local: A }, [qm1(ids)]));
    expect(e[0]).toBe(
      'phase2-start abc IP SUBNET/MASK=10.1.0.0/255.255.0.0, prot = 17 port = 500 IP RANGE=10.2.0.1-10.2.0.9, prot = 0 port = 0',
    );
  });

  it('leaves out the phase 2 start when the IDs are names, and everything it cannot know without keys', () => {
    const fqdn = [
      build.id({ idType: 2, value: { name: 'a.example' } }),
      build.id({ idType: 2, value: { name: 'b.example' } }),
    ];
    expect(sigs(events({ local: A }, [qm1(fqdn)]))).toEqual(['sent QM *(HASH, SA, NON, ID, ID)']);
    const blind = [qm1([]), qm2, qm3].map((x) => ({ d: x.d }));
    expect(sigs(events({ local: A }, blind))).toEqual(['sent QM *(HASH)', 'received QM *(HASH)', 'sent QM *(HASH)']);
  });

  it('with the commit bit the SA loads only after the fourth message', () => {
    const commit = { messageId: 0x0abc, encrypted: true, flags: HeaderFlag.COMMIT };
    const qm2c = datagram(B, 32, qm2.plaintext ?? [], commit);
    const qm4 = datagram(B, 32, [hash(), build.notification({ messageType: 16384, protocolId: 3 })], commit);
    const e = sigs(events({ local: A }, [qm1([]), qm2c, qm3]));
    expect(e.some((x) => x.startsWith('loading'))).toBe(false);
    expect(sigs(events({ local: A }, [qm1([]), qm2c, qm3, qm4])).at(-1)).toBe('loading abc out deadbeef in 1234');
  });

  it('with the commit bit the SA also loads on the informational CONNECTED of its message ID, not before QM3', () => {
    const commit = { messageId: 0x0abc, encrypted: true, flags: HeaderFlag.COMMIT };
    const qm2c = datagram(B, 32, qm2.plaintext ?? [], commit);
    const info = datagram(B, 5, [hash(), build.notification({ messageType: 16384, protocolId: 3 })], commit);
    expect(sigs(events({ local: A }, [qm1([]), qm2c, qm3, info])).at(-1)).toBe('loading abc out deadbeef in 1234');
    expect(sigs(events({ local: A }, [qm1([]), qm2c, info])).some((x) => x.startsWith('loading'))).toBe(false);
  });

  it('three quick-mode messages from one side are no loaded SA', () => {
    const again = datagram(A, 32, [hash(), build.nonce(new Uint8Array(8).fill(7))], {
      messageId: 0x0abc,
      encrypted: true,
    });
    expect(sigs(events({ local: A }, [qm1([]), again, qm3])).some((x) => x.startsWith('loading'))).toBe(false);
  });

  it('a quick mode we resend and never finish ends in "Exceeded retry attempts"', () => {
    const e = sigs(events({ local: A }, [qm1([]), qm1([])]));
    expect(e.slice(1)).toEqual([
      'sent QM *(HASH, SA, NON)',
      'retransmit',
      'sent QM *(Retransmission)',
      'exceeded phase 2',
    ]);
  });
});

describe('IKE fragmentation', () => {
  const mm5 = datagram(
    A,
    2,
    [
      build.id({ idType: 1, value: { address: A } }),
      build.cert(4, new Uint8Array(40)),
      build.sig(new Uint8Array(32)),
      build.notification({ messageType: 24578 }),
    ],
    { encrypted: true },
  );

  it('prints one line for the reassembled message, with its decrypted payloads, when its last fragment arrives', () => {
    const steps = fragmented(mm5, 40);
    expect(steps.length).toBeGreaterThan(2);
    const s = createSession({ local: A, connection: 'C' });
    const lines = steps.map((x) => s.push(x.d, x.plaintext));
    expect(lines.slice(0, -1).flat()).toEqual([]);
    expect(lines.at(-1)).toEqual(['C - SENDING>>>> ISAKMP OAK MM *(ID, CERT, SIG, NOTIFY:STATUS_INITIAL_CONTACT)']);
    expect(s.problems).toEqual([]);
  });

  it('without keys the reassembled message shows the type its header names, once', () => {
    const steps = fragmented(mm5, 40).map((x) => ({ d: x.d }));
    expect(sigs(events({ local: A }, steps))).toEqual(['sent MM *(ID)']);
  });

  it('reassembles fragments that arrive out of order, at the one that completes the message', () => {
    expect(fragmented(mm5, 40)).toHaveLength(4);
    // The last fragment first: the message is complete at fragment 3.
    const s = createSession({ local: A, connection: 'C' });
    const lines = fragmented(mm5, 40, [4, 2, 1, 3]).map((x) => s.push(x.d, x.plaintext));
    expect(lines).toEqual([
      [],
      [],
      [],
      ['C - SENDING>>>> ISAKMP OAK MM *(ID, CERT, SIG, NOTIFY:STATUS_INITIAL_CONTACT)'],
    ]);
  });

  it('a resent fragmented message is one retransmission, announced once, and counts toward "Exceeded"', () => {
    const t = (seconds: number) => ({ seconds, nanoseconds: 0 });
    const steps = fragmented(mm5, 40).map((x) => ({ ...x, d: { ...x.d, time: t(0) } }));
    const resent = steps.map((x) => ({ d: { ...x.d, time: t(10) } }));
    expect(sigs(events({ local: A }, [...steps, ...resent], t(30)))).toEqual([
      'sent MM *(ID, CERT, SIG, NOTIFY:STATUS_INITIAL_CONTACT)',
      'retransmit',
      'sent MM *(Retransmission)',
      'exceeded phase 1 1',
    ]);
  });

  it('reports a reassembled message that decodes only in part at the fragment that completed it, and keeps its line', () => {
    // The whole message cut short: its header claims more bytes than the fragments hold.
    const parts = build.fragments(mm5.d.bytes.slice(0, 40), 16, { exchangeType: 2, fragmentId: 1 });
    const s = createSession({ local: A });
    const lines = parts.flatMap((m) => s.push({ ...mm5.d, bytes: encode(m) }));
    expect(lines).toEqual([expect.stringMatching(/SENDING>>>> ISAKMP OAK MM \*\(ID, UNREADABLE\)$/)]);
    expect(s.problems).toEqual([expect.objectContaining({ index: 2, code: 'TRUNCATED', offset: 24 })]);
  });

  it('a fragment ID used again for a different message is a new message, not a retransmission', () => {
    // Three messages that differ only in their first fragment: every last fragment is byte-identical, as in a
    // capture where a peer sent three distinct messages as fragments under fragment ID 1.
    const tail = build.vendorId(new Uint8Array(64).fill(0x77));
    const messages = [1, 2, 3].map((n) =>
      datagram(A, 2, [build.sa({ proposals: [] }), build.vendorId(Uint8Array.of(n, n, n, n)), tail], {
        rc: new Uint8Array(8),
      }),
    );
    const steps = messages.flatMap((x) => fragmented(x, 48));
    const lasts = steps.filter((_, i) => i % 3 === 2).map((x) => x.d.bytes);
    expect(lasts[1]).toEqual(lasts[0]);
    expect(sigs(events({ local: A }, steps))).toEqual([
      'phase1-start 10.2.2.2',
      'sent MM (SA, VID, VID)',
      'sent MM (SA, VID, VID)',
      'sent MM (SA, VID, VID)',
    ]);
  });

  it('reports a message whose fragments never all came, at the end, naming every frame it had and what is missing', () => {
    const parts = fragmented(mm5, 40);
    expect(parts).toHaveLength(4);
    const s = createSession({ local: A });
    // Fragments 1, 2 and 4 (the last) arrive; 3 never does.
    for (const [frame, n] of [
      [7, 1],
      [8, 2],
      [9, 4],
    ] as const)
      expect(s.push({ ...parts[n - 1]!.d, frame })).toEqual([]);
    expect(s.problems).toEqual([]);
    expect(s.finish()).toEqual([]);
    expect(s.problems).toEqual([
      {
        index: 2,
        frame: 9,
        code: 'INCOMPLETE_FRAGMENTS',
        // Fragments 1 and 2 hold the message's first 80 bytes; the gap starts there.
        offset: 80,
        reassembled: false,
        message:
          'INCOMPLETE_FRAGMENTS at byte 80 of the reassembled message: the IKE fragments of message 1 never all came (the capture ends first; fragment 3 of 4 missing): fragment 1 in frame 7, fragment 2 in frame 8, fragment 4 in frame 9',
        datagram: expect.objectContaining({ frame: 9 }),
      },
    ]);
  });

  it('reports fragments dropped to make room when too many messages are in reassembly at once, when they are dropped', () => {
    // 17 messages' first fragments from one sender: the reassembler holds 16, so the first is dropped at the 17th.
    const s = createSession({ local: A, onProblem: (p) => seen.push({ ...p, at: pushed }) });
    const seen: (SessionProblem & { at: number })[] = [];
    let pushed = 0;
    for (let id = 1; id <= 17; id++) {
      const part = build.fragment({ fragmentId: id, fragmentNumber: 1, last: false, data: new Uint8Array(8) });
      const m = build.message({ initiatorCookie: IC, responderCookie: RC, exchangeType: 2, payloads: [part] });
      s.push({ bytes: encode(m), src: A, dst: B, frame: id });
      pushed += 1;
    }
    expect(seen).toEqual([
      expect.objectContaining({
        code: 'INCOMPLETE_FRAGMENTS',
        frame: 1,
        index: 0,
        at: 16,
        message: expect.stringContaining('dropped to make room'),
      }),
    ]);
    s.finish();
    // The other 16 at the end, each once.
    expect(seen.filter((p) => p.code === 'INCOMPLETE_FRAGMENTS').map((p) => p.frame)).toEqual(
      Array.from({ length: 17 }, (_, i) => i + 1),
    );
  });

  it('reports a fragment that cannot belong to its message where it comes, with the fragment payload offset', () => {
    const parts = fragmented(mm5, 40);
    const s = createSession({ local: A });
    s.push({ ...parts[0]!.d, frame: 1 });
    // The same fragment number with other bytes: a conflict, not a resend.
    const other = decode(parts[0]!.d.bytes);
    const f = other.payloads[0] as Payload & { data: Uint8Array };
    const changed = build.fragment({
      fragmentId: 1,
      fragmentNumber: 1,
      last: false,
      data: f.data.map((b) => b ^ 0xff),
    });
    s.push({ ...parts[0]!.d, bytes: encode({ ...other, payloads: [changed] }), frame: 2 });
    expect(s.problems).toEqual([
      expect.objectContaining({ index: 1, frame: 2, code: 'BAD_FRAGMENT', offset: 28, reassembled: false }),
    ]);
    expect(s.problems[0]?.message).toMatch(/^BAD_FRAGMENT at byte 28: IKE fragment 1 of message 1 was not used: /);
    // An exact copy is a resend: no problem.
    s.push({ ...parts[0]!.d, frame: 3 });
    expect(s.problems).toHaveLength(1);
  });

  it('names the frame and says the offset is within the reassembled message', () => {
    const parts = build.fragments(mm5.d.bytes.slice(0, 40), 16, { exchangeType: 2, fragmentId: 1 });
    const s = createSession({ local: A });
    for (const [i, m] of parts.entries()) s.push({ ...mm5.d, bytes: encode(m), frame: 10 + i });
    expect(s.problems).toEqual([
      {
        index: 2,
        frame: 12,
        code: 'TRUNCATED',
        offset: 24,
        reassembled: true,
        message: expect.stringMatching(/^TRUNCATED at byte 24 of the reassembled message: \S/),
      },
    ]);
  });
});

describe('finish', () => {
  const at = (seconds: number) => ({ seconds, nanoseconds: 250_000_000 });
  const mm1 = datagram(A, 2, [build.sa({ proposals: [] })], { rc: new Uint8Array(8) }).d;
  const qm = datagram(A, 32, [hash()], { messageId: 9, encrypted: true }).d;
  const steps = [
    { ...mm1, time: at(10) },
    { ...mm1, time: at(20) },
    { ...qm, time: at(30) },
    { ...qm, time: at(40) },
  ];
  const run = (s: Session) => {
    for (const d of steps) s.push(d);
  };

  it('writes the Exceeded lines at the time of the last datagram by default', () => {
    const s = createSession({ local: A, connection: 'C' });
    run(s);
    expect(s.finish()).toEqual([
      '00:00:40.250 C - Exceeded 1 IKE SA negotiation attempts',
      '00:00:40.250 Exceeded retry attempts - deleting IPSec Security Association',
    ]);
  });

  it('writes them at the time the caller gives, in lines and in events', () => {
    const s = createSession({ local: A, connection: 'C', utcOffsetMinutes: 60 });
    run(s);
    expect(s.finish({ seconds: 100, nanoseconds: 7_000_000 })).toEqual([
      '01:01:40.007 C - Exceeded 1 IKE SA negotiation attempts',
      '01:01:40.007 Exceeded retry attempts - deleting IPSec Security Association',
    ]);
    expect(s.finishEvents(at(3600))).toEqual([
      expect.objectContaining({ kind: 'exceeded-attempts', phase: 1, time: '02:00:00.250' }),
      expect.objectContaining({ kind: 'exceeded-attempts', phase: 2, time: '02:00:00.250' }),
    ]);
  });

  it('prints no time when told not to, whatever time it is given', () => {
    const s = createSession({ local: A, connection: 'C', timestamps: false });
    run(s);
    expect(s.finish(at(50))).toEqual([
      'C - Exceeded 1 IKE SA negotiation attempts',
      'Exceeded retry attempts - deleting IPSec Security Association',
    ]);
  });
});

describe('informational', () => {
  it('announces each notify we receive, not the ones we send', () => {
    const rx = datagram(B, 5, [hash(), build.notification({ messageType: 24 })], { messageId: 7, encrypted: true });
    const tx = datagram(A, 5, [hash(), build.notification({ messageType: 36136 })], { messageId: 8, encrypted: true });
    expect(sigs(events({ local: A }, [rx, tx]))).toEqual([
      'received INFO *(HASH, NOTIFY:AUTHENTICATION_FAILED)',
      'received-notify AUTHENTICATION_FAILED',
      'sent INFO *(HASH, NOTIFY:DPD_R_U_THERE)',
    ]);
  });

  it('deletes: the IKE SA by peer, IPsec SAs by SPI and the way they carried traffic', () => {
    const tx = datagram(A, 5, [hash(), build.delete({ protocolId: 3, spis: [Uint8Array.of(0, 0, 0x04, 0x05)] })], {
      messageId: 1,
      encrypted: true,
    });
    const rx = datagram(
      B,
      5,
      [
        hash(),
        build.delete({ protocolId: 2, spis: [Uint8Array.of(0x49, 0x3b, 0x30, 0xcc), Uint8Array.of(0, 0, 0, 1)] }),
        build.delete({ protocolId: 1, spis: [new Uint8Array(16)] }),
      ],
      { messageId: 2, encrypted: true },
    );
    expect(sigs(events({ local: A, connection: 'C' }, [tx, rx]))).toEqual([
      'sent INFO *(HASH, DEL)',
      'deleting Deleting IPsec SA (ESP INBOUND SPI = 405)',
      'received INFO *(HASH, DEL, DEL)',
      'deleting Deleting IPsec SA (AH OUTBOUND SPI = 493B30CC)',
      'deleting Deleting IPsec SA (AH OUTBOUND SPI = 1)',
      `deleting Deleting IKE SA (IP ADDR=${B})`,
    ]);
  });
});

describe('phase 1', () => {
  const none = new Uint8Array(8);
  it('counts a fragmented message once, when it is complete', () => {
    const clear = (from: string, rc = RC) =>
      datagram(from, 2, [build.nonce(Uint8Array.of(from === A ? 1 : 2, rc[0] ?? 0))], { rc });
    const steps = [
      clear(A, none),
      clear(B),
      datagram(A, 2, [hash()]),
      datagram(B, 2, [hash(), hash()]),
      ...fragmented(datagram(A, 2, [build.id({ idType: 1, value: { address: A } }), hash()], { encrypted: true }), 40),
      ...fragmented(
        datagram(B, 2, [build.id({ idType: 1, value: { address: B } }), build.hash(new Uint8Array(20).fill(2))], {
          encrypted: true,
        }),
        40,
      ),
    ];
    const e = sigs(events({ local: A }, steps));
    expect(e.slice(-3)).toEqual([
      'sent MM *(ID, HASH)',
      'received MM *(ID, HASH)',
      'established MY 1 2 3 4 5 6 7 8 HIS a b c d e f 10 11',
    ]);
  });

  it('with keys, main mode is established only when MM5 and MM6 both decrypt to an ID and a HASH (or SIG)', () => {
    const clear = (from: string, rc = RC) =>
      datagram(from, 2, [build.nonce(Uint8Array.of(from === A ? 1 : 2, rc[0] ?? 0))], { rc });
    const id = (address: string) => build.id({ idType: 1, value: { address } });
    const start = [clear(A, none), clear(B), datagram(A, 2, [hash()]), datagram(B, 2, [hash(), hash()])];
    const ending = (mm5: Payload[], mm6: Payload[]) =>
      sigs(
        events({ local: A }, [
          ...start,
          datagram(A, 2, mm5, { encrypted: true }),
          datagram(B, 2, mm6, { encrypted: true }),
        ]),
      );
    const established = (e: string[]) => e.some((x) => x.startsWith('established'));
    expect(established(ending([id(A), hash()], [id(B), hash()]))).toBe(true);
    expect(established(ending([id(A), build.sig(new Uint8Array(8))], [id(B), hash()]))).toBe(true);
    // A HASH without the identity it covers is not what MM5/MM6 carry.
    expect(established(ending([hash()], [id(B), hash()]))).toBe(false);
    expect(established(ending([id(A), hash()], [hash()]))).toBe(false);
    expect(established(ending([id(A), hash()], [build.notification({ protocolId: 1, messageType: 24 })]))).toBe(false);
  });

  it('a reassembled message belongs to the IKE SA its own header names, whatever cookies its carriers show', () => {
    const clear = (from: string, rc = RC) =>
      datagram(from, 2, [build.nonce(Uint8Array.of(from === A ? 1 : 2, rc[0] ?? 0))], { rc });
    // The 5th and 6th messages in carriers whose initiator cookie is another SA's: the message inside is this SA's.
    const carried = (whole: { d: SessionDatagram; plaintext?: Payload[] }) =>
      build
        .fragments(whole.d.bytes, 40, {
          initiatorCookie: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9),
          exchangeType: 2,
          fragmentId: 1,
        })
        .map((m) => ({ d: { ...whole.d, bytes: encode(m) } }));
    const steps = [
      clear(A, none),
      clear(B),
      datagram(A, 2, [hash()]),
      datagram(B, 2, [hash(), hash()]),
      ...carried(datagram(A, 2, [build.id({ idType: 1, value: { address: A } }), hash()], { encrypted: true })),
      ...carried(datagram(B, 2, [build.id({ idType: 1, value: { address: B } }), hash(), hash()], { encrypted: true })),
    ];
    expect(sigs(events({ local: A }, steps)).at(-1)).toBe('established MY 1 2 3 4 5 6 7 8 HIS a b c d e f 10 11');
  });

  it('a new phase 1 with the same peer after the silence says "Exceeded" for the earlier one first, and only then', () => {
    const t = (seconds: number) => ({ seconds, nanoseconds: 0 });
    const first = datagram(A, 2, [build.sa({ proposals: [] })], { rc: none });
    const other = Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9);
    const again = (at: number) => ({
      d: {
        ...datagram(A, 2, [build.sa({ proposals: [] }), build.vendorId(Uint8Array.of(1))], { rc: none }).d,
        time: t(at),
      },
    });
    const second = (at: number) => {
      const x = again(at);
      const m = decode(x.d.bytes);
      return { d: { ...x.d, bytes: encode({ ...m, header: { ...m.header, initiatorCookie: other } }) } };
    };
    const resends = [0, 2, 4].map((x) => ({ d: { ...first.d, time: t(x) } }));
    // After 4 s of silence (the resend interval is 2 s) the client gave up: its line comes before the new attempt's.
    expect(sigs(events({ local: A }, [...resends, second(8)]))).toEqual([
      'phase1-start 10.2.2.2',
      'sent MM (SA)',
      'retransmit',
      'sent MM (Retransmission)',
      'retransmit',
      'sent MM (Retransmission)',
      'exceeded phase 1 2',
      'phase1-start 10.2.2.2',
      'sent MM (SA, VID)',
    ]);
    // A new attempt within the resend interval shows no giving up: the earlier one is still open at the end, then.
    const early = sigs(events({ local: A }, [...resends, second(5)], t(5)));
    expect(early.filter((x) => x.startsWith('exceeded'))).toEqual([]);
  });

  it('aggressive mode establishes after its third message; a peer that never answers ends in "Exceeded"', () => {
    const ag1 = datagram(A, 4, [build.sa({ proposals: [] })], { rc: none });
    const ag2 = datagram(B, 4, [build.sa({ proposals: [] }), hash()]);
    const ag3 = datagram(A, 4, [hash()], { encrypted: true });
    expect(sigs(events({ local: A }, [ag1, ag2, ag3])).at(-1)).toBe(
      'established MY 1 2 3 4 5 6 7 8 HIS a b c d e f 10 11',
    );
    const t = (seconds: number) => ({ seconds, nanoseconds: 0 });
    const resends = [0, 10, 20].map((x) => ({ d: { ...ag1.d, time: t(x) } }));
    expect(sigs(events({ local: A }, resends, t(50))).at(-1)).toBe('exceeded phase 1 2');
    // A capture that ends before the resend interval passed again shows no giving up: the log ends with the resend.
    expect(sigs(events({ local: A }, resends, t(25))).at(-1)).toBe('sent AG (Retransmission)');
    expect(sigs(events({ local: A }, [ag1, ag1, ag1])).at(-1)).toBe('sent AG (Retransmission)');
    // Retransmissions by the peer are not ours to give up on.
    expect(sigs(events({ local: B }, [ag1, ag1])).at(-1)).toBe('received AG (Retransmission)');
  });

  it('reports datagrams that do not decode and prints nothing for them', () => {
    const s = createSession({ local: A });
    expect(s.push({ bytes: Uint8Array.of(1, 2, 3), src: A, dst: B })).toEqual([]);
    expect(s.problems).toEqual([expect.objectContaining({ index: 0, code: 'TRUNCATED' })]);
  });

  it('hands problems to onProblem as they happen and keeps none itself', () => {
    const seen: SessionProblem[] = [];
    const s = createSession({ local: A, onProblem: (p) => seen.push(p) });
    for (let i = 0; i < 100; i++) s.push({ bytes: Uint8Array.of(1, 2, 3), src: A, dst: B, frame: 7 + i });
    expect(seen).toHaveLength(100);
    expect(seen[99]).toMatchObject({ index: 99, frame: 106, code: 'TRUNCATED', reassembled: false });
    expect(s.problems).toEqual([]);
  });
});

describe('renderCapture', () => {
  it('reads capture items, skips what is not IKE, asks the caller for plaintext and ends lines as told', () => {
    const info = datagram(B, 5, [hash(), build.notification({ messageType: 14 })], { messageId: 3, encrypted: true });
    const items = [{ kind: 'skipped' }, { kind: 'ike', ...info.d }];
    const asked: number[] = [];
    const text = renderCapture(items, {
      local: A,
      connection: 'Demo',
      eol: '\r\n',
      plaintext: (_d, i) => {
        asked.push(i);
        return info.plaintext;
      },
    });
    expect(asked).toEqual([0]);
    expect(text).toBe(
      'Demo - RECEIVED<<<< ISAKMP OAK INFO *(HASH, NOTIFY:NO_PROPOSAL_CHOSEN)\r\nReceived NO_PROPOSAL_CHOSEN message\r\n',
    );
  });
});

describe('bounded state', () => {
  const at = (seconds: number) => ({ seconds, nanoseconds: 0 });
  const cookie = (n: number) => {
    const c = new Uint8Array(8);
    new DataView(c.buffer).setUint32(0, n + 1);
    return c;
  };
  /** One message of conversation `n` (initiator cookie from n), from `from`. */
  const message = (
    n: number,
    from: string,
    exchangeType: number,
    payloads: Payload[],
    more: { messageId?: number; rc?: Uint8Array; encrypted?: boolean } = {},
  ) => {
    const common = {
      initiatorCookie: cookie(n),
      responderCookie: more.rc ?? RC,
      exchangeType,
      messageId: more.messageId ?? 0,
    };
    const m = more.encrypted
      ? build.message({ ...common, encrypted: encodePlaintext({ payloads }), nextPayload: payloads[0]?.type ?? 0 })
      : build.message({ ...common, payloads });
    return { d: { bytes: encode(m), src: from, dst: from === A ? B : A }, plaintext: payloads };
  };
  /** The delete of conversation `n`'s IKE SA (its SPI is the cookie pair), sent by `from`. */
  const deleteOf = (n: number, from: string, messageId: number) => {
    const spi = new Uint8Array(16);
    spi.set(cookie(n));
    spi.set(RC, 8);
    return message(n, from, 5, [hash(), build.delete({ protocolId: 1, spis: [spi] })], { messageId, encrypted: true });
  };
  /** Conversation `n`: a whole main mode, then our delete of its IKE SA. */
  const conversation = (n: number, time: number) => {
    // MM5 and MM6 encrypted, with the ID and HASH that authenticate each side: the evidence `Established` needs.
    const mm = [A, B, A, B, A, B].map((from, i) =>
      i < 4
        ? message(n, from, 2, [build.vendorId(Uint8Array.of(i, 1, 2, 3))], { rc: i === 0 ? new Uint8Array(8) : RC })
        : message(
            n,
            from,
            2,
            [build.id({ idType: 1, data: Uint8Array.of(10, 0, 0, i) }), build.hash(new Uint8Array(20).fill(i))],
            {
              encrypted: true,
            },
          ),
    );
    return [...mm, deleteOf(n, A, 7)].map((x) => ({ ...x, d: { ...x.d, time: at(time) } }));
  };
  const pushAll = (s: Session, steps: readonly { d: SessionDatagram; plaintext?: readonly Payload[] }[]) =>
    steps.flatMap((x) => s.pushEvents(x.d, x.plaintext));

  it('releases deleted conversations after a short grace, so held state does not grow with the capture', () => {
    const s = createSession({ local: A });
    const e = pushAll(s, Array.from({ length: 600 }, (_, n) => conversation(n, n)).flat()).map((x) => signature(x));
    expect(e.filter((x) => x.startsWith('established'))).toHaveLength(600);
    expect(e.filter((x) => x.startsWith('deleting'))).toHaveLength(600);
    // One conversation a second, each deleted: those of the last minute are held, the rest were released.
    expect(s.stats().conversations).toBeLessThanOrEqual(62);
    expect(s.stats().released).toBeGreaterThanOrEqual(538);
  });

  it('keeps a deleted conversation through the grace: the peer delete still names the cookie', () => {
    const theirs = deleteOf(0, B, 8);
    const s = createSession({ local: A });
    const e = pushAll(s, [...conversation(0, 0), { ...theirs, d: { ...theirs.d, time: at(30) } }]).map((x) =>
      signature(x),
    );
    expect(e.filter((x) => x.startsWith('deleting'))).toEqual([
      'deleting Deleting IKE SA (IP ADDR=10.2.2.2) (MY COOKIE 0 0 0 1 0 0 0 0)',
      'deleting Deleting IKE SA (IP ADDR=10.2.2.2) (MY COOKIE 0 0 0 1 0 0 0 0)',
    ]);
  });

  it('releases conversations idle past the limit, and the least recently active past the cap', () => {
    const starts = (n: number, time?: number) =>
      Array.from({ length: n }, (_, i) => {
        const x = message(i, A, 2, [build.sa({ proposals: [] })], { rc: new Uint8Array(8) });
        return { d: time === undefined ? x.d : { ...x.d, time: at(time * i) } };
      });
    const idle = createSession({ local: A, idleTimeoutSeconds: 60 });
    pushAll(idle, starts(1000, 10));
    expect(idle.stats().conversations).toBeLessThanOrEqual(7);
    const capped = createSession({ local: A, maxConversations: 100 });
    pushAll(capped, starts(1000));
    expect(capped.stats()).toMatchObject({ conversations: 100, released: 900 });
  });

  it('remembers at most maxRemembered datagrams and maxQuickModes quick modes per conversation', () => {
    const s = createSession({ local: A, maxRemembered: 50, maxQuickModes: 16 });
    const e = pushAll(
      s,
      Array.from({ length: 500 }, (_, i) => message(0, A, 32, [hash()], { messageId: i + 1, encrypted: true })),
    );
    expect(e.filter((x) => x.kind === 'ike-message')).toHaveLength(500);
    expect(s.stats()).toMatchObject({ conversations: 1, quickModes: 16, remembered: 50 });
  });

  it('a failed phase 1 that goes idle says "Exceeded" when it is released, and only then', () => {
    const mm1 = message(0, A, 2, [build.sa({ proposals: [] })], { rc: new Uint8Array(8) }).d;
    const other = message(1, A, 2, [build.sa({ proposals: [] })], { rc: new Uint8Array(8) }).d;
    const s = createSession({ local: A, idleTimeoutSeconds: 60 });
    const e = pushAll(s, [
      { d: { ...mm1, time: at(0) } },
      { d: { ...mm1, time: at(5) } },
      { d: { ...other, time: at(100) } },
    ]);
    expect([...e, ...s.finishEvents()].map((x) => signature(x))).toEqual([
      'phase1-start 10.2.2.2',
      'sent MM (SA)',
      'retransmit',
      'sent MM (Retransmission)',
      'exceeded phase 1 1',
      'phase1-start 10.2.2.2',
      'sent MM (SA)',
    ]);
  });

  it('a resent quick mode released unfinished is still reported at the next phase 1', () => {
    const qm = message(0, A, 32, [hash()], { messageId: 5, encrypted: true }).d;
    const mm1 = message(1, A, 2, [build.sa({ proposals: [] })], { rc: new Uint8Array(8) }).d;
    const s = createSession({ local: A, idleTimeoutSeconds: 60 });
    const e = pushAll(s, [
      { d: { ...qm, time: at(0) } },
      { d: { ...qm, time: at(5) } },
      { d: { ...mm1, time: at(100) } },
    ]).map((x) => signature(x));
    expect(e.slice(-3)).toEqual(['exceeded phase 2', 'phase1-start 10.2.2.2', 'sent MM (SA)']);
    expect(s.stats().quickModes).toBe(0);
    expect(s.finishEvents()).toEqual([]);
  });

  it('a resend arriving after its conversation was released prints as a resend and counts as no failed attempt', () => {
    const mm = [A, B, A, B, A, B].map((from, i) =>
      message(0, from, 2, [build.vendorId(Uint8Array.of(i, 1, 2, 3))], { rc: i === 0 ? new Uint8Array(8) : RC }),
    );
    const qm = message(0, A, 32, [hash()], { messageId: 5, encrypted: true });
    const s = createSession({ local: A, idleTimeoutSeconds: 60 });
    const steps = [...mm, qm].map((x, i) => ({ d: { ...x.d, time: at(i) } }));
    const late = [mm[4]!, qm].map((x, i) => ({ d: { ...x.d, time: at(1000 + i) } }));
    const e = [...pushAll(s, [...steps, ...late]), ...s.finishEvents()].map((x) => signature(x));
    expect(e.slice(-4)).toEqual(['retransmit', 'sent MM (Retransmission)', 'retransmit', 'sent QM *(Retransmission)']);
    expect(e.filter((x) => x.startsWith('exceeded'))).toEqual([]);
  });

  it('quick modes interleaved with new phase 1 starts: each resent one reported once, state bounded', () => {
    const s = createSession({ local: A });
    const steps = Array.from({ length: 2000 }, (_, i) => {
      const qm = message(0, A, 32, [hash()], { messageId: i + 1, encrypted: true });
      const mm1 = message(i + 1, A, 2, [build.sa({ proposals: [] })], { rc: new Uint8Array(8) });
      return i % 100 === 0 ? [qm, qm, mm1] : [qm, mm1];
    }).flat();
    const e = pushAll(s, steps).map((x) => signature(x));
    expect(e.filter((x) => x === 'exceeded phase 2')).toHaveLength(20);
    expect(e.filter((x) => x === 'retransmit')).toHaveLength(20);
    expect(s.stats().quickModes).toBeLessThanOrEqual(256);
  });
});

describe('what a datagram is', () => {
  it('the same bytes from the other end are its own message, not a retransmission', () => {
    const m = datagram(A, 2, [build.sa({ proposals: [] })], { rc: new Uint8Array(8) });
    const s = createSession({ local: A });
    const reads = [s.read(m.d), s.read({ ...m.d, src: B, dst: A }), s.read(m.d)];
    expect(reads.map((r) => r.kind === 'message' && r.retransmission)).toEqual([false, false, true]);
  });

  it('a header whose length is below 28 frames no message: a problem, no line, no conversation', () => {
    const bytes = encode(build.message({ initiatorCookie: IC, exchangeType: 1, payloads: [] }));
    bytes[27] = 0; // header length 0
    const s = createSession({ local: A });
    expect(s.push({ bytes, src: A, dst: B, frame: 1 })).toEqual([]);
    expect(s.problems).toEqual([expect.objectContaining({ code: 'BAD_LENGTH', offset: 24, frame: 1 })]);
    expect(s.stats().conversations).toBe(0);
  });
});
