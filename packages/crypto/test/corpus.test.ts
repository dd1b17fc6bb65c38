/**
 * End to end against the corpus: every encrypted ISAKMP message of every capture with keys decrypts (with our key
 * JSON and with Wireshark's table), decodes with the codec, has sane padding, and its payload types, payload headers,
 * displayed byte fields and padding equal tshark's decrypted golden for that frame.
 */
import { describe, expect, it } from 'vitest';
import { type CaptureOutcome, decryptMessages, isSanePadding, type MessageOutcome, toHex } from '../src/index';
import { goldenDecryptedBodies, keyedCaptures } from './corpus';

const captures = keyedCaptures();

function effective(o: CaptureOutcome): MessageOutcome | CaptureOutcome {
  return o.kind === 'fragment' && o.reassembled ? o.reassembled : o;
}

/** Whether the two peers derived different keys (a PSK mismatch): a one-key-per-cookie table cannot do both sides. */
const peersDisagree = (c: (typeof captures)[number]) => c.json.ikeSas.some((s) => s.encryptionKeys.length > 1);

describe('corpus captures with keys', () => {
  it('exist (the corpus has keyed captures to test against)', () => {
    expect(captures.length).toBeGreaterThanOrEqual(5);
  });

  it.each(captures.map((c) => ({ name: c.name, c })))('$name: the key files parse cleanly', ({ c }) => {
    expect(c.json.diagnostics).toEqual([]);
    expect(c.json.ikeSas.length).toBe(c.raw.ikeSas.length);
    if (c.wireshark) expect(c.wireshark.diagnostics).toEqual([]);
  });

  it.each(captures.map((c) => ({ name: c.name, c })))(
    '$name: every encrypted message decrypts and decodes (key JSON), matching tshark',
    ({ c }) => {
      const outcomes = decryptMessages(c.inputs, c.json.ikeSas);
      const golden = c.capture.tsharkDecryptedGolden
        ? goldenDecryptedBodies(c.capture.tsharkDecryptedGolden)
        : undefined;
      let encrypted = 0;
      let compared = 0;
      let fields = 0;
      for (const [i, o] of outcomes.entries()) {
        const x = effective(o);
        if (x.kind === 'fragment') continue;
        expect(x.kind, `message ${i}`).not.toBe('no-keys');
        if (x.kind === 'plaintext') continue;
        encrypted += 1;
        expect(x.kind === 'failed' ? x.error.message : x.kind, `message ${i}`).toBe('decrypted');
        if (x.kind !== 'decrypted') continue;
        expect(isSanePadding(x.body.padding, x.body.iv.length), `message ${i} padding`).toBe(true);
        // Real peers follow RFC 2409's IV rules, so the expected IV works the first time; only the PSK-mismatch
        // responder, whose failed decryption left its phase-1 IV at the initial one, needs another candidate.
        if (!peersDisagree(c)) expect(x.recovered, `message ${i} needed IV recovery`).toBe(false);
        expect(['zero', 'none', 'pad-length']).toContain(x.body.paddingStyle);
        const frame = c.datagrams[i]?.frame ?? -1;
        const bodies = golden?.get(frame);
        // Frames tshark marked malformed (retransmissions: it decrypts them with the wrong IV) are not in `golden`.
        if (bodies) {
          expect(bodies.length, `frame ${frame}: one ISAKMP message`).toBe(1);
          const g = bodies[0];
          expect(
            x.body.payloads.map((p) => p.type),
            `frame ${frame}`,
          ).toEqual(g?.types);
          // Byte by byte as far as the golden shows them: each payload's generic header, and every byte field
          // tshark displays found inside that payload of our plaintext, then the padding.
          const chain = payloadSlices(x.body.plaintext);
          expect(
            chain.map((p) => [p.nextPayload, p.length]),
            `frame ${frame} headers`,
          ).toEqual(g?.payloads.map((p) => [p.nextPayload, p.length]));
          for (const [k, p] of (g?.payloads ?? []).entries())
            for (const field of p.bytes)
              expect(toHex(chain[k]?.bytes ?? new Uint8Array(0)), `frame ${frame} payload ${k}`).toContain(field);
          expect(toHex(x.body.padding), `frame ${frame} padding`).toBe(g?.padding);
          compared += 1;
          fields += g?.payloads.reduce((n, p) => n + p.bytes.length, 0) ?? 0;
        }
      }
      expect(encrypted).toBeGreaterThan(0);
      if (golden) expect(compared).toBeGreaterThan(0);
      if (golden) expect(fields).toBeGreaterThan(0);
    },
  );

  it.each(captures.filter((c) => c.wireshark).map((c) => ({ name: c.name, c })))(
    '$name: the Wireshark table (initiator cookie + Ka only) decrypts the same messages to the same bytes',
    ({ c }) => {
      const fromJson = decryptMessages(c.inputs, c.json.ikeSas).map(effective);
      const fromTable = decryptMessages(c.inputs, c.wireshark?.ikeSas ?? []).map(effective);
      for (const [i, j] of fromJson.entries()) {
        const t = fromTable[i];
        if (j.kind !== 'decrypted') continue;
        if (peersDisagree(c) && t?.kind === 'not-decrypted') {
          // The responder's messages are under the responder's Ka, which the table lacks: reported, not thrown.
          continue;
        }
        expect(t?.kind, `message ${i}`).toBe('decrypted');
        if (t?.kind === 'decrypted') expect(t.body.plaintext).toEqual(j.body.plaintext);
      }
    },
  );

  it('where the peers disagree on the keys, both peers’ encrypted messages decrypt from the key JSON', () => {
    const disagreeing = captures.filter(peersDisagree);
    expect(disagreeing.length).toBeGreaterThan(0);
    const bothSides = disagreeing.filter((c) => {
      const outcomes = decryptMessages(c.inputs, c.json.ikeSas).map(effective);
      const senders = new Set(outcomes.flatMap((o, i) => (o.kind === 'decrypted' ? [c.datagrams[i]?.src] : [])));
      return senders.size === 2;
    });
    expect(bothSides.length).toBeGreaterThan(0);
  });

  it('strongswan-mm-psk-mismatch: the responder’s error informationals start from hash(initial IV | M-ID), named as such', () => {
    const c = captures.find((x) => x.name === 'strongswan-mm-psk-mismatch');
    expect(c).toBeDefined();
    if (!c) return;
    const outcomes = decryptMessages(c.inputs, c.json.ikeSas).map(effective);
    const informationals = outcomes.flatMap((o, i) =>
      o.kind === 'decrypted' && o.message.header.messageId !== 0 ? [{ i: i + 1, o }] : [],
    );
    // Messages 6, 8, 10 and 12: one informational per retransmitted MM5, under the responder's Ka.
    expect(informationals.map((x) => x.i)).toEqual([6, 8, 10, 12]);
    for (const { o } of informationals) {
      expect(o.ivSource).toBe('phase2-from-initial-iv');
      expect(o.recovered).toBe(false);
    }
  });

  it('retransmitted encrypted messages decrypt with their first copy’s IV (tshark marks them malformed)', () => {
    let retransmissions = 0;
    for (const c of captures) {
      const outcomes = decryptMessages(c.inputs, c.json.ikeSas).map(effective);
      for (const [i, o] of outcomes.entries()) {
        if (o.kind !== 'decrypted' || !o.retransmission) continue;
        retransmissions += 1;
        const first = outcomes.findIndex(
          (p, j) => j < i && p.kind === 'decrypted' && !p.retransmission && equal(p.body.plaintext, o.body.plaintext),
        );
        expect(first, `${c.name} message ${i}`).toBeGreaterThanOrEqual(0);
        const f = outcomes[first];
        if (f?.kind === 'decrypted') expect(f.body.iv).toEqual(o.body.iv);
      }
    }
    expect(retransmissions).toBeGreaterThan(0);
  });
});

/** The generic-header chain of a decrypted body (RFC 2408 3.2): each payload's next type, length and bytes. */
function payloadSlices(plaintext: Uint8Array): { nextPayload: number; length: number; bytes: Uint8Array }[] {
  const out: { nextPayload: number; length: number; bytes: Uint8Array }[] = [];
  let at = 0;
  for (;;) {
    const length = ((plaintext[at + 2] ?? 0) << 8) | (plaintext[at + 3] ?? 0);
    if (length < 4 || at + length > plaintext.length) return out;
    const nextPayload = plaintext[at] ?? 0;
    out.push({ nextPayload, length, bytes: plaintext.subarray(at, at + length) });
    at += length;
    if (nextPayload === 0) return out;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
