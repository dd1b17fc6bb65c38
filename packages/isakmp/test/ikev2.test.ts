import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decode,
  decodeAny,
  decodeIkev2,
  decodeIkev2Partial,
  encode,
  encodeInto,
  encodingLength,
  type Ikev2Message,
  Ikev2PayloadType,
  ikev2ExchangeTypeName,
  ikev2NotifyTypeName,
  ikev2PayloadTypeName,
  isIkev2,
  isIkev2NotifyError,
  isIkev2Payload,
} from '../src/index';
import { decodeError, message } from './helpers';
import { compareIkev2WithTshark, type Tree, type TsharkNames } from './tshark-compare';
import { ikev2Vectors } from './vectors/ikev2-vectors.mjs';
import { hasTshark, tsharkLayers, tsharkNames } from './vectors/tshark.mjs';
import { vectors, x } from './vectors/vectors.mjs';

const goldens = JSON.parse(readFileSync(new URL('./vectors/ikev2.tshark.json.golden', import.meta.url), 'utf8')) as {
  vectors: Record<string, { layer: Tree | null; names: TsharkNames }>;
};

/** An IKEv2 message from a body in hex: header (version 2.0, IKE_SA_INIT, I flag) naming `next` first. */
function v2(next: number, body: string, opts: { length?: number; exchange?: number } = {}): Uint8Array {
  const b = message(next, body, {
    exchange: opts.exchange ?? 34,
    flags: 0x08,
    ...(opts.length ? { length: opts.length } : {}),
  });
  b[17] = 0x20;
  return b;
}

describe('IKEv2 vectors', () => {
  it.each(ikev2Vectors)('$name: decodes to the expected fields and re-encodes byte for byte', ({ hex, expected }) => {
    const bytes = x(hex);
    const m = decodeIkev2(bytes);
    expect(m).toMatchObject(expected);
    expect(encode(m)).toEqual(bytes);
    expect(encodingLength(m)).toBe(bytes.length);
    const out = new Uint8Array(bytes.length + 3);
    expect(encodeInto(m, out, 3)).toBe(bytes.length);
    expect(out.subarray(3)).toEqual(bytes);
  });

  it('committed goldens cover every vector', () => {
    expect(Object.keys(goldens.vectors).sort()).toEqual(ikev2Vectors.map((v) => v.name).sort());
  });

  const skipped: string[] = [];
  it.each(ikev2Vectors)('$name: agrees with tshark (committed golden)', ({ name, hex }) => {
    const g = goldens.vectors[name]!;
    expect(g.layer, 'tshark decoded no isakmp layer').toBeTruthy();
    const skips: string[] = [];
    expect(compareIkev2WithTshark(decodeIkev2(x(hex)), g.layer!, g.names, skips)).toEqual([]);
    skipped.push(...skips.map((s) => `${name}: ${s}`));
  });

  it('skips only the exchange name tshark 4.0 does not know', () => {
    expect(skipped).toEqual([
      'IKE_INTERMEDIATE request: SK naming a KE payload: header.exchangeName: tshark does not name IKE_INTERMEDIATE',
    ]);
  });

  it('the comparison notices disagreements in the header, the generic headers and the names', () => {
    const [first] = ikev2Vectors;
    const m = decodeIkev2(x(first!.hex));
    m.header.exchangeType = 35;
    const n = m.payloads[3]!;
    n.critical = true;
    if (isIkev2Payload(n, Ikev2PayloadType.N)) n.messageType = 16390;
    const g = goldens.vectors[first!.name]!;
    expect(compareIkev2WithTshark(m, g.layer!, g.names)).toEqual([
      'header.exchangeType: ours 35, tshark 34',
      'header.exchangeName: ours IKE_AUTH, tshark IKE_SA_INIT',
      'payloads[3].critical: ours 1, tshark 0',
      'payloads[3].messageType: ours 16390, tshark 16388',
      'notifies[0].name: ours COOKIE, tshark NAT_DETECTION_SOURCE_IP',
    ]);
  });
});

describe.skipIf(!hasTshark())('IKEv2 against live tshark (on PATH)', () => {
  it('agrees with our decoding of every IKEv2 vector', () => {
    const bytes = ikev2Vectors.map((v) => x(v.hex));
    const layers = tsharkLayers(bytes);
    const names = tsharkNames(bytes);
    const diffs = ikev2Vectors.flatMap((v, i) =>
      compareIkev2WithTshark(decodeIkev2(bytes[i]!), layers[i] as Tree, names[i]!).map((l) => `${v.name}: ${l}`),
    );
    expect(diffs).toEqual([]);
  }, 60_000);
});

describe('decodeAny: the major version decides the grammar', () => {
  it('IKEv1 (1.0) decodes exactly as decode does', () => {
    for (const v of vectors) {
      const b = x(v.hex);
      const d = decodeAny(b);
      expect(d.version).toBe(1);
      if (d.version === 1) {
        expect(d.message).toStrictEqual(decode(b));
        expect(d.error).toBeUndefined();
      }
    }
  });

  it('IKEv2 (2.0) decodes as IKEv2, with the RFC 7296 names, never as an IKEv1 EXCHANGE_34', () => {
    const d = decodeAny(x(ikev2Vectors[0]!.hex));
    expect(d.version).toBe(2);
    if (d.version !== 2) return;
    expect(isIkev2(d.message)).toBe(true);
    expect(ikev2ExchangeTypeName.get(d.message.header.exchangeType)).toBe('IKE_SA_INIT');
    expect(d.message.payloads.map((p) => ikev2PayloadTypeName.get(p.type))).toEqual([
      'SA',
      'KE',
      'Nonce',
      'N',
      'N',
      'V',
    ]);
    expect(
      d.message.payloads.flatMap((p) => ('messageType' in p ? [ikev2NotifyTypeName.get(p.messageType)] : [])),
    ).toEqual(['NAT_DETECTION_SOURCE_IP', 'NAT_DETECTION_DESTINATION_IP']);
  });

  it('a minor version other than 0 still picks the major version grammar', () => {
    const b = v2(0, '');
    b[17] = 0x21;
    expect(decodeAny(b)).toMatchObject({ version: 2, message: { header: { majorVersion: 2, minorVersion: 1 } } });
  });

  it.each([0x00, 0x30, 0xf1])('version byte 0x%s is UNSUPPORTED_VERSION at offset 17, not a misparse', (version) => {
    const b = v2(0, '');
    b[17] = version;
    const d = decodeAny(b);
    expect(d).toMatchObject({ version: 'unsupported', majorVersion: version >> 4, minorVersion: version & 15 });
    if (d.version !== 'unsupported') return;
    expect(d.error).toBeInstanceOf(DecodeError);
    expect([d.error.code, d.error.offset]).toEqual(['UNSUPPORTED_VERSION', 17]);
  });

  it('offsets count from the offset argument', () => {
    const b = v2(0, '');
    b[17] = 0x30;
    const padded = new Uint8Array(b.length + 4);
    padded.set(b, 4);
    const d = decodeAny(padded, 4);
    expect(d.version === 'unsupported' && d.error.offset).toBe(17);
  });

  it('a header that cannot be read is still a plain DecodeError', () => {
    expect(decodeError(() => decodeAny(x('0011223344556677 8899aabbccddeeff 21 20')))).toMatchObject({
      code: 'TRUNCATED',
      offset: 18,
    });
    expect(decodeError(() => decodeAny('nope' as unknown as Uint8Array))).toMatchObject({
      code: 'BAD_INPUT',
      offset: 0,
    });
  });
});

describe('IKEv2 generic chain', () => {
  it('keeps the critical bit and the reserved bits apart, and any payload type as raw', () => {
    const m = decodeIkev2(v2(200, '00 ff 0006 abcd'));
    expect(m.payloads).toStrictEqual([{ type: 200, raw: x('abcd'), critical: true, reserved: 0x7f }]);
    expect(encode(m)).toEqual(v2(200, '00 ff 0006 abcd'));
  });

  it('SK ends the chain: its next payload names the first inner payload, bytes after it are trailing', () => {
    const b = v2(46, '23 00 0008 01020304 aabb');
    const m = decodeIkev2(b);
    expect(m.payloads).toStrictEqual([{ type: 46, firstPayload: 35, critical: false, data: x('01020304') }]);
    expect(m.trailing).toEqual(x('aabb'));
    expect(m.warnings?.map((w) => [w.code, w.offset])).toEqual([['TRAILING_DATA', 36]]);
    expect(encode(m)).toEqual(b);
  });

  it('isIkev2NotifyError splits the notify registry at 16384', () => {
    expect(isIkev2NotifyError(14)).toBe(true);
    expect(isIkev2NotifyError(16384)).toBe(false);
  });

  it.each([
    { name: 'payload length below 4', hex: '00 00 0003', next: 40, code: 'BAD_LENGTH', offset: 28 },
    { name: 'payload length past the message', hex: '00 00 0010 0102', next: 40, code: 'BAD_LENGTH', offset: 28 },
    {
      name: 'Notify shorter than its fixed fields',
      hex: '00 00 0007 000000',
      next: 41,
      code: 'BAD_LENGTH',
      offset: 28,
    },
    {
      name: 'Notify SPI size past the payload',
      hex: '00 00 000a 03 08 4009 0102',
      next: 41,
      code: 'BAD_LENGTH',
      offset: 36,
    },
    { name: 'SKF shorter than its fragment numbers', hex: '00 00 0006 0001', next: 53, code: 'BAD_LENGTH', offset: 28 },
    { name: 'chain names a payload after the last byte', hex: '28 00 0004', next: 40, code: 'BAD_LENGTH', offset: 32 },
  ])('$name: $code at $offset', ({ hex, next, code, offset }) => {
    expect(decodeError(() => decodeIkev2(v2(next, hex)))).toMatchObject({ code, offset });
  });

  it('header length errors are the IKEv1 ones', () => {
    expect(decodeError(() => decodeIkev2(v2(0, '', { length: 29 })))).toMatchObject({ code: 'TRUNCATED', offset: 24 });
    expect(decodeError(() => decodeIkev2(v2(0, '', { length: 27 })))).toMatchObject({ code: 'BAD_LENGTH', offset: 24 });
  });

  it('maxPayloads bounds the chain', () => {
    const b = v2(40, '28 00 0004 28 00 0004 00 00 0004');
    expect(decodeIkev2(b).payloads).toHaveLength(3);
    expect(decodeError(() => decodeIkev2(b, 0, { maxPayloads: 2 }))).toMatchObject({
      code: 'TOO_MANY_PAYLOADS',
      offset: 36,
    });
  });
});

describe('IKEv2 partial messages', () => {
  it('a malformed later payload keeps the earlier ones; the rest re-encodes byte for byte', () => {
    const b = v2(40, '29 00 0008 01020304  00 00 000a 03 08 4009 0102');
    const { message: m, error } = decodeIkev2Partial(b);
    expect(m.payloads).toStrictEqual([{ type: 40, raw: x('01020304'), critical: false }]);
    expect(m.unreadable).toStrictEqual({ type: 41, raw: x('0000000a030840090102') });
    expect([error?.code, error?.offset]).toEqual(['BAD_LENGTH', 44]);
    expect(encode(m)).toEqual(b);
  });

  it('decodeAny is partial too', () => {
    const d = decodeAny(v2(40, '00 00 0002'));
    expect(d.version === 2 && [d.message.payloads.length, d.error?.code, d.error?.offset]).toEqual([
      0,
      'BAD_LENGTH',
      28,
    ]);
  });

  it('a whole message has no error and no unreadable rest', () => {
    const d: ReturnType<typeof decodeIkev2Partial> = decodeIkev2Partial(x(ikev2Vectors[0]!.hex));
    expect(d.error).toBeUndefined();
    expect((d.message as Ikev2Message).unreadable).toBeUndefined();
  });
});
