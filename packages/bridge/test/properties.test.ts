/**
 * Laws of `render` and of a session over generated input: the output always parses with zero diagnostics, to the event
 * that was meant (direction, exchange, `*`, one item per payload that maps back to its payload type and notify number).
 */
import { test } from '@fast-check/vitest';
import { build, decode, encode, type Payload, PayloadType } from '@oaklog/isakmp';
import { exchangeNumber, type IkeMessageEvent, notifyNumber, parse, payloadNumber } from '@oaklog/viewlog';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { createSession, render } from '../src/index';
import { captureTime, connectionName, message, namedPayload, unnamedPayloadType } from './arbitraries';

function only(text: string): IkeMessageEvent {
  const r = parse(text);
  expect(r.diagnostics).toEqual([]);
  expect(r.events).toHaveLength(1);
  const e = r.events[0];
  if (e?.kind !== 'ike-message') throw new Error(`not an IKE message: ${text}`);
  return e;
}

function expectItems(e: IkeMessageEvent, chain: readonly Payload[]): void {
  expect(e.items.map((i) => payloadNumber(i.payload))).toEqual(chain.map((p) => p.type));
  chain.forEach((p, k) => {
    if (p.type === 11 && 'messageType' in p) expect(notifyNumber(e.items[k]?.notify ?? '')).toBe(p.messageType);
  });
}

describe('render', () => {
  test.prop([
    message,
    fc.constantFrom('sent' as const, 'received' as const),
    fc.option(connectionName, { nil: undefined }),
    fc.option(captureTime, { nil: undefined }),
  ])(
    'parses with zero diagnostics and its items map back to the payload chain',
    ({ message: m, chain, encrypted }, direction, connection, time) => {
      const meta = {
        direction,
        plaintext: chain,
        ...(connection !== undefined ? { connection } : {}),
        ...(time !== undefined ? { time } : {}),
      };
      const lines = render(m, meta);
      expect(lines).toHaveLength(1);
      const e = only(lines[0]!);
      expect(e.direction).toBe(direction);
      expect(exchangeNumber(e.exchange)).toBe(m.header.exchangeType);
      expect(e.encrypted).toBe(encrypted);
      expect(e.retransmission).toBe(false);
      expect(e.connection).toBe(connection);
      expect(e.time !== undefined).toBe(time !== undefined);
      expectItems(e, chain);
    },
  );

  test.prop([message])(
    'an encrypted message without its plaintext lists only the type its header names',
    ({ message: m, chain, encrypted }) => {
      const e = only(render(m, { direction: 'received' })[0]!);
      if (!encrypted) return expectItems(e, chain);
      // Only the type is in the clear: a first notification prints as a bare NOTIFY, its message type unknown.
      expect(e.items[0]?.notify).toBeUndefined();
      expect(e.items.map((i) => payloadNumber(i.payload))).toEqual(chain.slice(0, 1).map((p) => p.type));
    },
  );

  test.prop([message])(
    'renders a decoded message as it renders the message it was encoded from',
    ({ message: m, chain }) => {
      const meta = { direction: 'sent' as const, plaintext: chain };
      expect(render(decode(encode(m)), meta)).toEqual(render(m, meta));
    },
  );

  test.prop([message])('a retransmission prints `(Retransmission)` and still parses', ({ message: m, encrypted }) => {
    const e = only(render(m, { direction: 'sent', retransmission: true })[0]!);
    expect(e.retransmission).toBe(true);
    expect(e.items).toEqual([]);
    expect(e.encrypted).toBe(encrypted);
  });

  test.prop([fc.array(namedPayload, { maxLength: 4 }), unnamedPayloadType, fc.array(namedPayload, { maxLength: 4 })])(
    'a payload type without a client word prints as PAYLOAD_<n>, which reads back as that number with no diagnostic',
    (head, type, tail) => {
      const chain = [...head, build.unknown(type, new Uint8Array(3)), ...tail];
      const text = render(build.message({ exchangeType: 2, payloads: chain }), { direction: 'sent' })[0]!;
      const r = parse(text);
      expect(r.diagnostics).toEqual([]);
      const e = r.events[0] as IkeMessageEvent;
      expect(e.items).toHaveLength(chain.length);
      expect(payloadNumber(e.items[head.length]?.payload ?? '')).toBe(type);
    },
  );
});

/** Messages that are not themselves IKE fragments (whose lines come only with the message they complete). */
const whole = message.filter((x) => x.encrypted || !x.chain.some((p) => p.type === PayloadType.FRAGMENT));

describe('session', () => {
  const datagram = fc.record({
    pick: fc.nat(),
    fromUs: fc.boolean(),
    step: fc.integer({ min: 0, max: 5000 }),
  });
  test.prop([
    fc.array(whole, { minLength: 1, maxLength: 12 }),
    fc.array(datagram, { minLength: 1, maxLength: 30 }),
    captureTime,
    fc.uniqueArray(fc.oneof(fc.ipV4(), fc.ipV6()), { minLength: 2, maxLength: 2 }),
  ])(
    'any datagram sequence (repeats included) renders to a log that parses with zero diagnostics, one line per datagram',
    (pool, picks, start, [us = '', peer = '']) => {
      const session = createSession({ local: us }); // the connection name defaults to the peer's address
      let ms = 0;
      const lines: string[] = [];
      for (const p of picks) {
        const { message: m, chain, encrypted } = pool[p.pick % pool.length]!;
        ms += p.step;
        const time = { seconds: start.seconds + Math.floor(ms / 1000), nanoseconds: (ms % 1000) * 1e6 };
        const d = {
          bytes: encode(m),
          src: p.fromUs ? us : peer,
          dst: p.fromUs ? peer : us,
          time,
        };
        lines.push(...session.push(d, encrypted ? chain : undefined));
      }
      lines.push(...session.finish());
      const r = parse(`${lines.join('\n')}\n`);
      expect(r.diagnostics).toEqual([]);
      const messages = r.events.filter((e) => e.kind === 'ike-message');
      expect(messages.map((e) => e.direction)).toEqual(picks.map((p) => (p.fromUs ? 'sent' : 'received')));
      // The peer's address, its first group maybe zero-padded (so that the name does not start like a time), and
      // ` #n` after it for a second IKE SA negotiating at the same time (cookies the pool shares may make one).
      const unpadded = (a: string | undefined) => a?.replace(/^0+(?=[0-9a-f])/i, '').replace(/ #\d+$/, '');
      expect(new Set(messages.map((e) => unpadded(e.connection)))).toEqual(new Set([unpadded(peer)]));
    },
  );

  test.prop([
    whole,
    fc.integer({ min: 1, max: 64 }),
    fc.func(fc.integer()),
    fc.array(fc.nat(), { maxLength: 4 }),
    fc.boolean(),
  ])(
    'a message sent as IKE fragments, in any order and with duplicates, prints once, as the message itself prints',
    ({ message: m, chain, encrypted }, size, rank, copies, fromUs) => {
      const [us, peer] = ['192.0.2.1', '192.0.2.2'];
      const bytes = encode(m);
      const [src, dst] = fromUs ? [us, peer] : [peer, us];
      const plaintext = encrypted ? chain : undefined;
      const direct = createSession({ local: us }).push({ bytes, src, dst }, plaintext);
      // At most 255 fragments: the fragment number is one byte.
      const parts = build
        .fragments(bytes, Math.max(size, Math.ceil(bytes.length / 255)), { ...m.header, flags: 0, fragmentId: 7 })
        .map((f) => encode(f))
        .sort((a, b) => rank(a) - rank(b));
      // Copies of fragments pushed before the one that completes the message.
      const early = parts.length > 1 ? copies.map((k) => parts[k % (parts.length - 1)]!) : [];
      const session = createSession({ local: us });
      const lines = [...parts.slice(0, -1), ...early, parts.at(-1)!].map((b, i, all) =>
        session.push({ bytes: b, src, dst }, i === all.length - 1 ? plaintext : undefined),
      );
      expect(lines.slice(0, -1).flat()).toEqual([]);
      expect(lines.at(-1)).toEqual(direct);
      expect(session.problems).toEqual([]);
    },
  );
});
