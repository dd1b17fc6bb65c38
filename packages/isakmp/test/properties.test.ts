import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecodeError, decode, decodeAny, encode, encodingLength } from '../src/index';
import { message, messageWithTrailing, oddMessage } from './arbitraries';
import { corpusDatagrams, corpusPackets } from './corpus-packets';
import { vectors, x } from './vectors/vectors.mjs';

describe('laws', () => {
  test.prop([message], { numRuns: 400 })('decode(encode(m)) deep-equals m', (m) => {
    expect(decode(encode(m))).toStrictEqual(m);
  });

  test.prop([message], { numRuns: 400 })('encodingLength(m) === encode(m).length', (m) => {
    expect(encodingLength(m)).toBe(encode(m).length);
  });

  test.prop([messageWithTrailing], { numRuns: 100 })('trailing bytes survive with a TRAILING_DATA warning', (m) => {
    const { warnings, ...decoded } = decode(encode(m));
    expect(decoded).toStrictEqual(m);
    expect(warnings?.map((w) => w.code)).toEqual(['TRAILING_DATA']);
  });

  test.prop([oddMessage], { numRuns: 400 })(
    'odd but byte-exact fields (links, counts, trailing bytes, padding, short header length) survive the round trip',
    (m) => {
      const bytes = encode(m);
      const { warnings, ...decoded } = decode(bytes);
      expect(decoded).toStrictEqual(m);
      expect(encode(decoded)).toEqual(bytes);
    },
  );

  const corpus = corpusPackets();
  const packets = [...vectors.map((v) => x(v.hex)), ...corpus];

  test.prop([fc.constantFrom(...packets)])('encode(decode(b)) === b for vectors and corpus packets', (b) => {
    expect(encode(decode(b))).toEqual(b);
  });

  it.skipIf(corpus.length === 0)(`every one of the ${corpus.length} corpus packets re-encodes byte for byte`, () => {
    for (const b of corpus) expect(encode(decode(b))).toEqual(b);
  });

  // Published captures add IKEv2, fuzzed and snapshot-cut datagrams: whatever the version and however far the body
  // reads, decodeAny's message gives the datagram back byte for byte (it throws only when the header is unreadable).
  const datagrams = corpusDatagrams();
  it.skipIf(datagrams.length === 0)(
    `every one of the ${datagrams.length} corpus datagrams round-trips through decodeAny`,
    () => {
      for (const b of datagrams) {
        let d: ReturnType<typeof decodeAny>;
        try {
          d = decodeAny(b);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          continue;
        }
        if (d.version !== 'unsupported') expect(encode(d.message)).toEqual(b);
      }
    },
  );

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  );

  test.prop([fc.constantFrom(...packets), fc.array(mutation, { minLength: 1, maxLength: 4 })], { numRuns: 3000 })(
    'mutated vectors and corpus packets either fail with DecodeError or re-encode byte for byte',
    (packet, mutations) => {
      let b = packet.slice();
      for (const m of mutations) {
        const at = m.at % (b.length + 1);
        if (m.kind === 'set' && at < b.length) b[at] = m.value;
        else if (m.kind === 'cut') b = b.slice(0, at);
        else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), m.value, ...b.subarray(at)]);
      }
      let decoded: ReturnType<typeof decode>;
      try {
        decoded = decode(b);
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        return;
      }
      expect(encode(decoded)).toEqual(b);
    },
    30_000,
  );
});
