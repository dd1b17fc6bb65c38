import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecodeError, decode, decodeAny, decodeIkev2, decodePartial, encode, encodingLength } from '../src/index';
import { payloadChainLength } from '../src/payload';
import { ikev2Message, message } from './arbitraries';
import { corpusPackets } from './corpus-packets';
import { decodeError } from './helpers';
import { ikev2Vectors } from './vectors/ikev2-vectors.mjs';
import { vectors, x } from './vectors/vectors.mjs';

const I = '0011223344556677';
const R = '8899aabbccddeeff';

describe('decodePartial (IKEv1)', () => {
  // VID, NONCE, then a NOTIFICATION whose SPI size (8) runs past its 14-byte payload.
  const hex = `
    ${I} ${R} 0d 10 02 00 00000000 0000003e
    0a 00 0008 01020304
    0b 00 000c aabbccddeeff0011
    00 00 000e 00000001 03 08 0018 0102
  `;

  it('keeps every payload before the malformed one, names its offset, and re-encodes byte for byte', () => {
    const bytes = x(hex);
    expect(decodeError(() => decode(bytes))).toMatchObject({ code: 'BAD_LENGTH', offset: 60 });
    const { message: m, error } = decodePartial(bytes);
    expect(m.payloads).toStrictEqual([
      { type: 13, data: x('01020304') },
      { type: 10, data: x('aabbccddeeff0011') },
    ]);
    expect(m.unreadable).toStrictEqual({ type: 11, raw: x('0000000e000000010308001801 02') });
    expect(error).toBeInstanceOf(DecodeError);
    expect([error?.code, error?.offset]).toEqual(['BAD_LENGTH', 60]);
    expect(encode(m)).toEqual(bytes);
    expect(encodingLength(m)).toBe(bytes.length);
  });

  it('a message that decodes has no error and equals decode', () => {
    for (const v of vectors) {
      const b = x(v.hex);
      expect(decodePartial(b)).toStrictEqual({ message: decode(b) });
    }
  });

  it('a header length past the datagram is the error; the payloads inside the datagram still decode', () => {
    const bytes = x(`${I} ${R} 0d 10 02 00 00000000 00000100  0a 00 0008 01020304  00 00 0010 0102`);
    const { message: m, error } = decodePartial(bytes);
    expect([error?.code, error?.offset]).toEqual(['TRUNCATED', 24]);
    expect(m.payloads).toStrictEqual([{ type: 13, data: x('01020304') }]);
    expect(m.unreadable).toStrictEqual({ type: 10, raw: x('000000100102') });
    expect(encode(m)).toEqual(bytes);
  });

  it('a header length below 28 is the error; the body is kept as found', () => {
    const bytes = x(`${I} ${R} 0d 10 02 00 00000000 00000010  00 00 0008 01020304`);
    const { message: m, error } = decodePartial(bytes);
    expect([error?.code, error?.offset]).toEqual(['BAD_LENGTH', 24]);
    expect(m.payloads).toEqual([]);
    expect(encode(m)).toEqual(bytes);
  });

  it('a header that cannot be read is still thrown', () => {
    expect(decodeError(() => decodePartial(x(I)))).toMatchObject({ code: 'TRUNCATED', offset: 8 });
  });

  it('the first payload failing leaves no payloads and the whole chain unreadable', () => {
    const bytes = x(`${I} ${R} 0d 10 02 00 00000000 0000001f  00 00 0002 00 00 00`);
    const { message: m, error } = decodePartial(bytes);
    expect([m.payloads, m.unreadable?.type, error?.code, error?.offset]).toEqual([[], 13, 'BAD_LENGTH', 28]);
    expect(encode(m)).toEqual(bytes);
  });
});

/** Well-formed IKEv1 messages with at least one payload, their bytes, and the start of each payload. */
const plain = message
  .filter((m) => !m.encrypted && m.payloads.length > 0)
  .map((m) => {
    const bytes = encode(m);
    const starts = m.payloads.map((_, i) => 28 + payloadChainLength(m.payloads.slice(0, i)));
    return { bytes, starts };
  });

describe('partial laws', () => {
  test.prop([plain, fc.nat(), fc.integer({ min: 0, max: 3 })], { numRuns: 200 })(
    'a payload whose length is cut below 4: the payloads before it decode as in the full decode, the error is at its start',
    ({ bytes, starts }, pick, length) => {
      const k = pick % starts.length;
      const full = decode(bytes).payloads;
      const b = bytes.slice();
      b[starts[k]! + 2] = 0;
      b[starts[k]! + 3] = length;
      const { message: m, error } = decodePartial(b);
      expect(m.payloads).toStrictEqual(full.slice(0, k));
      expect([error?.code, error?.offset]).toEqual(['BAD_LENGTH', starts[k]]);
      expect(encode(m)).toEqual(b);
    },
  );

  test.prop(
    [plain, fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })],
    { numRuns: 200 },
  )(
    'any corruption of a later payload: the payloads before it decode identically, the bytes re-encode exactly',
    ({ bytes, starts }, pick, sets) => {
      const k = pick % starts.length;
      const full = decode(bytes).payloads;
      const b = bytes.slice();
      const from = starts[k]!;
      for (const [at, v] of sets) b[from + (at % (b.length - from))] = v;
      const { message: m } = decodePartial(b);
      expect(m.payloads.slice(0, k)).toStrictEqual(full.slice(0, k));
      expect(encode(m)).toEqual(b);
    },
  );

  test.prop([ikev2Message], { numRuns: 200 })('IKEv2: decodeIkev2(encode(m)) deep-equals m, lengths agree', (m) => {
    const bytes = encode(m);
    expect(encodingLength(m)).toBe(bytes.length);
    expect(decodeIkev2(bytes)).toStrictEqual(m);
    expect(decodeAny(bytes)).toStrictEqual({ version: 2, message: m });
  });

  const packets = [
    ...vectors.map((v) => x(v.hex)),
    ...ikev2Vectors.map((v) => x(v.hex)),
    ...corpusPackets().slice(0, 40),
  ];
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  );

  test.prop([fc.constantFrom(...packets), fc.array(mutation, { minLength: 1, maxLength: 4 })], { numRuns: 1000 })(
    'decodeAny of a mutated packet throws only DecodeError (header unreadable) or re-encodes byte for byte',
    (packet, mutations) => {
      let b = packet.slice();
      for (const m of mutations) {
        const at = m.at % (b.length + 1);
        if (m.kind === 'set' && at < b.length) b[at] = m.value;
        else if (m.kind === 'cut') b = b.slice(0, at);
      }
      let d: ReturnType<typeof decodeAny>;
      try {
        d = decodeAny(b);
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        expect(b.length).toBeLessThan(28);
        return;
      }
      if (d.version === 'unsupported') expect(d.error.code).toBe('UNSUPPORTED_VERSION');
      else expect(encode(d.message)).toEqual(b);
    },
  );
});

it('IKEv1 vectors stay IKEv1 through decodeAny even when a payload is bad', () => {
  const b = x(vectors[0]!.hex);
  b[30] = 0;
  b[31] = 1;
  const d = decodeAny(b);
  expect([d.version, d.version !== 'unsupported' && d.error?.code]).toEqual([1, 'BAD_LENGTH']);
});
