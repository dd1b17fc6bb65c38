/**
 * A decryptor holds many IKE SAs by keeping only a few live (`maxLiveStates`) and parking the rest with what they
 * learnt: parking must never change an outcome. Past `maxRememberedSas` the least recently used SA is forgotten, and
 * that must show (a message that needed what was forgotten does not decrypt, and `forgotten` counts it).
 */
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CaptureOutcome, createMessageDecryptor, type IkeSaKeys, toHex } from '../src/index';
import { type Exchange, type ExchangeOptions, synthesize } from './exchange';

const kinds: ExchangeOptions[] = [
  { cipher: '3des-cbc', hash: 'sha1', group: 2 },
  { cipher: 'aes-cbc-128', hash: 'sha1', group: 2 },
  { cipher: 'aes-cbc-256', hash: 'sha2-256', group: 5 },
  { cipher: 'des-cbc', hash: 'md5', group: 1 },
];

/** The exchange with its cookies replaced (the synthesizer uses one pair), so each copy is an IKE SA of its own. */
function withCookies(x: Exchange, n: number): { wire: { bytes: Uint8Array; label: string }[]; keys: IkeSaKeys } {
  const ci = Uint8Array.from({ length: 8 }, (_, i) => (i === 0 ? n + 1 : 0x10 + i));
  const cr = Uint8Array.from({ length: 8 }, (_, i) => (i === 0 ? n + 1 : 0x80 + i));
  const wire = x.wire.map((w) => {
    const bytes = w.bytes.slice();
    bytes.set(ci, 0);
    // MM1 and AG1 go out before the responder has a cookie.
    if (w.bytes.subarray(8, 16).some((b) => b !== 0)) bytes.set(cr, 8);
    return { bytes, label: `${n}:${w.label}` };
  });
  return { wire, keys: { initiatorCookie: ci, responderCookie: cr, encryptionKeys: x.keys.encryptionKeys } };
}

const sas = Array.from({ length: 6 }, (_, n) => withCookies(synthesize(kinds[n % kinds.length] as ExchangeOptions), n));

/** What an outcome says, as one comparable string. */
function summary(o: CaptureOutcome): string {
  if (o.kind === 'decrypted')
    return `decrypted ${o.ivSource} ${o.recovered} ${o.retransmission} ${toHex(o.body.plaintext)}`;
  if (o.kind === 'not-decrypted') return `not-decrypted ${o.reason} ${o.retransmission}`;
  if (o.kind === 'failed') return `failed ${o.error.code} ${o.retransmission}`;
  return o.kind;
}

/**
 * Every SA's messages, each SA's in its order, interleaved as `picks` says (each pick: whose message comes next); each
 * of `resends` ([which, later]) sends message `which` again `later` messages after it, when other SAs may have taken
 * its SA's place among the live ones.
 */
function interleave(
  picks: readonly number[],
  resends: readonly (readonly [number, number])[] = [],
): { bytes: Uint8Array; label: string }[] {
  const next = sas.map(() => 0);
  const out: { bytes: Uint8Array; label: string }[] = [];
  let pick = 0;
  for (;;) {
    const open = sas.map((_, i) => i).filter((i) => (next[i] ?? 0) < (sas[i]?.wire.length ?? 0));
    if (open.length === 0) break;
    const i = open[(picks[pick++ % picks.length] ?? 0) % open.length] as number;
    const message = sas[i]?.wire[next[i] ?? 0];
    if (message) out.push(message);
    next[i] = (next[i] ?? 0) + 1;
  }
  for (const [which, later] of resends) {
    const message = out[which % out.length];
    if (message) out.splice(Math.min(out.length, (which % out.length) + 1 + later), 0, message);
  }
  return out;
}

describe('parking idle IKE SA states', () => {
  test.prop(
    [
      fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 })), { maxLength: 6 }),
      fc.integer({ min: 1, max: 3 }),
    ],
    { numRuns: 40 },
  )('changes no outcome, however the SAs interleave and however few stay live', (picks, resends, maxLiveStates) => {
    const messages = interleave(picks, resends);
    const keys = sas.map((s) => s.keys);
    const roomy = createMessageDecryptor(keys);
    const tight = createMessageDecryptor(keys, { maxLiveStates });
    for (const m of messages) expect(summary(tight.push(m.bytes)), m.label).toBe(summary(roomy.push(m.bytes)));
    expect(tight.forgotten).toBe(0);
  });

  it('decrypts every message of every SA while only one is live', () => {
    const d = createMessageDecryptor(
      sas.map((s) => s.keys),
      { maxLiveStates: 1 },
    );
    const outcomes = interleave([0, 1, 2, 3, 4, 5]).map((m) => ({ label: m.label, o: d.push(m.bytes) }));
    const encrypted = outcomes.filter((x) => x.o.kind !== 'plaintext');
    expect(encrypted.length).toBeGreaterThan(sas.length * 4);
    for (const { label, o } of encrypted) expect(o.kind, label).toBe('decrypted');
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => createMessageDecryptor([], { maxLiveStates: 0 })).toThrow(RangeError);
    expect(() => createMessageDecryptor([], { maxRememberedSas: 1.5 })).toThrow(RangeError);
  });
});

describe('forgetting IKE SAs past maxRememberedSas', () => {
  it('counts each SA forgotten, and a message that needed what it had learnt does not decrypt', () => {
    const [a, b] = sas;
    if (!a || !b) throw new Error('two SAs');
    const d = createMessageDecryptor([a.keys, b.keys], { maxRememberedSas: 1 });
    const of = (s: typeof a, label: string) => {
      const w = s.wire.find((m) => m.label.endsWith(`:${label}`));
      if (!w) throw new Error(label);
      return d.push(w.bytes);
    };
    // A learns g^xi and g^xr from MM3 and MM4; B's phase 1 then takes its place.
    for (const l of ['MM1', 'MM2', 'MM3', 'MM4']) of(a, l);
    expect(d.forgotten).toBe(0);
    for (const l of ['MM1', 'MM2', 'MM3', 'MM4']) of(b, l);
    expect(d.forgotten).toBe(1);
    expect(of(b, 'MM5').kind).toBe('decrypted');
    // A starts afresh: with no g^x its phase-1 IV cannot be computed.
    const mm5 = of(a, 'MM5');
    expect(mm5.kind === 'failed' ? mm5.error.code : mm5.kind).toBe('NO_IV');
    expect(d.forgotten).toBe(2);
  });

  it('with room for every SA, forgets none and decrypts all', () => {
    const d = createMessageDecryptor(
      sas.map((s) => s.keys),
      { maxRememberedSas: sas.length },
    );
    for (const m of interleave([5, 4, 3, 2, 1, 0])) {
      const o = d.push(m.bytes);
      if (o.kind !== 'plaintext') expect(o.kind, m.label).toBe('decrypted');
    }
    expect(d.forgotten).toBe(0);
  });
});
