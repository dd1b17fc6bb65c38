/**
 * Hand-written vectors, one or more per payload type, from the RFC layouts: one header per line (the message header
 * first, then each payload's generic header with its fixed fields, then its data). Each vector is a whole message
 * so that tshark can decode it too: `make-goldens.mjs` writes what tshark said to `goldens/<name>.json`.
 *
 * Plain JavaScript so the golden script runs with bare Node; `vectors.d.mts` types it for the tests.
 */

/** Bytes of a hex string; whitespace is ignored. */
export function x(hex) {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`bad hex: ${hex}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
}

const I = '0011223344556677';
const R = '8899aabbccddeeff';
const Z = '0000000000000000';

/** @type {import('./vectors.d.mts').Vector[]} */
export const vectors = [
  {
    name: 'SA: main mode, two Oakley transforms, TV and TLV life duration',
    hex: `
      ${I} ${Z} 01 10 02 00 00000000 00000078
      00 00 005c 00000001 00000001
      00 00 0050 01 01 00 02
      03 00 0028 01 01 0000 8001 0007 800e 0080 8002 0002 8003 0001 8004 000e 800b 0001 000c 0004 00015180
      00 00 0020 02 01 0000 8001 0005 8002 0001 8003 0001 8004 0002 800b 0001 800c 7080
    `,
    expected: {
      header: {
        nextPayload: 1,
        majorVersion: 1,
        minorVersion: 0,
        exchangeType: 2,
        flags: 0,
        messageId: 0,
        length: 120,
      },
      payloads: [
        {
          type: 1,
          doi: 1,
          situation: 1,
          proposals: [
            {
              number: 1,
              protocolId: 1,
              spi: x(''),
              transforms: [
                {
                  number: 1,
                  id: 1,
                  attributes: [
                    { type: 1, value: 7 },
                    { type: 14, value: 128 },
                    { type: 2, value: 2 },
                    { type: 3, value: 1 },
                    { type: 4, value: 14 },
                    { type: 11, value: 1 },
                    { type: 12, data: x('00015180') },
                  ],
                },
                {
                  number: 2,
                  id: 1,
                  attributes: [
                    { type: 1, value: 5 },
                    { type: 2, value: 1 },
                    { type: 3, value: 1 },
                    { type: 4, value: 2 },
                    { type: 11, value: 1 },
                    { type: 12, value: 28800 },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  },
  {
    name: 'SA: quick mode ESP proposal with IPsec DOI attributes',
    hex: `
      ${I} ${R} 01 10 20 00 01020304 00000058
      00 00 003c 00000001 00000001
      00 00 0030 01 03 04 01 c0ffee01
      00 00 0024 01 0c 0000 8001 0001 0002 0004 00000e10 8004 0001 8005 0002 8006 0100 8003 0002
    `,
    expected: {
      header: { exchangeType: 32, messageId: 0x01020304, length: 88 },
      payloads: [
        {
          type: 1,
          proposals: [
            {
              number: 1,
              protocolId: 3,
              spi: x('c0ffee01'),
              transforms: [
                {
                  number: 1,
                  id: 12,
                  attributes: [
                    { type: 1, value: 1 },
                    { type: 2, data: x('00000e10') },
                    { type: 4, value: 1 },
                    { type: 5, value: 2 },
                    { type: 6, value: 256 },
                    { type: 3, value: 2 },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  },
  {
    name: 'SA: AH + ESP bundle and IPCOMP with a 2-byte CPI',
    hex: `
      ${I} ${R} 01 10 20 00 01020304 0000006a
      00 00 004e 00000001 00000001
      02 00 0018 01 02 04 01 11111111
      00 00 000c 01 03 0000 8005 0002
      02 00 0018 01 03 04 01 22222222
      00 00 000c 01 03 0000 8005 0001
      00 00 0012 01 04 02 01 1234
      00 00 0008 01 02 0000
    `,
    expected: {
      payloads: [
        {
          type: 1,
          proposals: [
            {
              number: 1,
              protocolId: 2,
              spi: x('11111111'),
              transforms: [{ id: 3, attributes: [{ type: 5, value: 2 }] }],
            },
            {
              number: 1,
              protocolId: 3,
              spi: x('22222222'),
              transforms: [{ id: 3, attributes: [{ type: 5, value: 1 }] }],
            },
            { number: 1, protocolId: 4, spi: x('1234'), transforms: [{ id: 2, attributes: [] }] },
          ],
        },
      ],
    },
  },
  {
    name: 'SA: labeled-domain situation with secrecy and integrity parts',
    hex: `
      ${I} ${Z} 01 10 02 00 00000000 00000060
      00 00 0044 00000001 00000007
      00000001
      0003 0000 010203 00
      000c 0000 fff0 0000
      0002 0000 0a0b 0000
      0008 0000 80 000000
      00 00 0014 01 01 00 01
      00 00 000c 01 01 0000 8001 0005
    `,
    expected: {
      payloads: [
        {
          type: 1,
          situation: 7,
          labeledDomain: {
            domain: 1,
            secrecy: { level: x('010203'), categoryBits: 12, categories: x('fff0') },
            integrity: { level: x('0a0b'), categoryBits: 8, categories: x('80') },
          },
          proposals: [{ transforms: [{ attributes: [{ type: 1, value: 5 }] }] }],
        },
      ],
    },
  },
  {
    name: 'KE',
    hex: `
      ${I} ${R} 04 10 02 00 00000000 00000030
      00 00 0014 000102030405060708090a0b0c0d0e0f
    `,
    expected: { payloads: [{ type: 4, data: x('000102030405060708090a0b0c0d0e0f') }] },
  },
  {
    name: 'ID: IPV4_ADDR with UDP/500 (phase 1)',
    hex: `
      ${I} ${R} 05 10 02 00 00000000 00000028
      00 00 000c 01 11 01f4 c0000201
    `,
    expected: {
      payloads: [
        { type: 5, idType: 1, protocolId: 17, port: 500, data: x('c0000201'), value: { address: '192.0.2.1' } },
      ],
    },
  },
  {
    name: 'ID: FQDN',
    hex: `
      ${I} ${R} 05 10 02 00 00000000 00000033
      00 00 0017 02 00 0000 76706e2e6578616d706c652e636f6d
    `,
    expected: { payloads: [{ type: 5, idType: 2, value: { name: 'vpn.example.com' } }] },
  },
  {
    name: 'ID: USER_FQDN',
    hex: `
      ${I} ${R} 05 10 04 00 00000000 00000035
      00 00 0019 03 00 0000 616c696365406578616d706c652e636f6d
    `,
    expected: { payloads: [{ type: 5, idType: 3, value: { name: 'alice@example.com' } }] },
  },
  {
    name: 'ID: IPV4_ADDR_SUBNET (quick-mode client ID)',
    hex: `
      ${I} ${R} 05 10 20 00 01020304 0000002c
      00 00 0010 04 00 0000 0a000000 ffffff00
    `,
    expected: { payloads: [{ type: 5, idType: 4, value: { address: '10.0.0.0', mask: '255.255.255.0' } }] },
  },
  {
    name: 'ID: IPV6_ADDR',
    hex: `
      ${I} ${R} 05 10 02 00 00000000 00000034
      00 00 0018 05 00 0000 20010db8000000000000000000000001
    `,
    expected: { payloads: [{ type: 5, idType: 5, value: { address: '2001:db8::1' } }] },
  },
  {
    name: 'ID: IPV6_ADDR_SUBNET',
    hex: `
      ${I} ${R} 05 10 20 00 01020304 00000044
      00 00 0028 06 00 0000 20010db8000000000000000000000000 ffffffffffffffff0000000000000000
    `,
    expected: { payloads: [{ type: 5, idType: 6, value: { address: '2001:db8::', mask: 'ffff:ffff:ffff:ffff::' } }] },
  },
  {
    name: 'ID: IPV4_ADDR_RANGE with TCP/80',
    hex: `
      ${I} ${R} 05 10 20 00 01020304 0000002c
      00 00 0010 07 06 0050 0a000001 0a0000fe
    `,
    expected: {
      payloads: [{ type: 5, idType: 7, protocolId: 6, port: 80, value: { start: '10.0.0.1', end: '10.0.0.254' } }],
    },
  },
  {
    name: 'ID: IPV6_ADDR_RANGE',
    hex: `
      ${I} ${R} 05 10 20 00 01020304 00000044
      00 00 0028 08 00 0000 20010db8000000000000000000000001 20010db80000000000000000000000ff
    `,
    expected: { payloads: [{ type: 5, idType: 8, value: { start: '2001:db8::1', end: '2001:db8::ff' } }] },
  },
  {
    name: 'ID: DER_ASN1_DN (opaque)',
    hex: `
      ${I} ${R} 05 10 02 00 00000000 00000035
      00 00 0019 09 00 0000 300f310d300b0603550403130474657374
    `,
    expected: { payloads: [{ type: 5, idType: 9, data: x('300f310d300b0603550403130474657374') }] },
  },
  {
    name: 'ID: DER_ASN1_GN (opaque)',
    hex: `
      ${I} ${R} 05 10 02 00 00000000 00000031
      00 00 0015 0a 00 0000 820b6578616d706c652e636f6d
    `,
    expected: { payloads: [{ type: 5, idType: 10, data: x('820b6578616d706c652e636f6d') }] },
  },
  {
    name: 'ID: KEY_ID (opaque)',
    hex: `
      ${I} ${R} 05 10 04 00 00000000 00000028
      00 00 000c 0b 00 0000 6b657931
    `,
    expected: { payloads: [{ type: 5, idType: 11, data: x('6b657931') }] },
  },
  {
    name: 'ID: LIST (opaque)',
    hex: `
      ${I} ${R} 05 10 02 00 00000000 00000028
      00 00 000c 0c 00 0000 01020304
    `,
    expected: { payloads: [{ type: 5, idType: 12, data: x('01020304') }] },
  },
  {
    name: 'CERT: raw RSA key encoding with opaque data',
    hex: `
      ${I} ${R} 06 10 02 00 00000000 00000026
      00 00 000a 0b 0102030405
    `,
    expected: { payloads: [{ type: 6, encoding: 11, data: x('0102030405') }] },
  },
  {
    name: 'CR: X.509 signature, no authority',
    hex: `
      ${I} ${R} 07 10 02 00 00000000 00000021
      00 00 0005 04
    `,
    expected: { payloads: [{ type: 7, certType: 4, authority: x('') }] },
  },
  {
    name: 'CR: X.509 signature with a DN authority',
    hex: `
      ${I} ${R} 07 10 02 00 00000000 00000032
      00 00 0016 04 300f310d300b0603550403130474657374
    `,
    expected: { payloads: [{ type: 7, certType: 4, authority: x('300f310d300b0603550403130474657374') }] },
  },
  {
    name: 'HASH',
    hex: `
      ${I} ${R} 08 10 20 00 01020304 00000034
      00 00 0018 00112233445566778899aabbccddeeff00112233
    `,
    expected: { payloads: [{ type: 8, data: x('00112233445566778899aabbccddeeff00112233') }] },
  },
  {
    name: 'SIG',
    hex: `
      ${I} ${R} 09 10 02 00 00000000 00000030
      00 00 0014 0f0e0d0c0b0a09080706050403020100
    `,
    expected: { payloads: [{ type: 9, data: x('0f0e0d0c0b0a09080706050403020100') }] },
  },
  {
    name: 'NONCE',
    hex: `
      ${I} ${R} 0a 10 02 00 00000000 00000030
      00 00 0014 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
    `,
    expected: { payloads: [{ type: 10, data: x('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf') }] },
  },
  {
    name: 'N: NO-PROPOSAL-CHOSEN without SPI',
    hex: `
      ${I} ${Z} 0b 10 05 00 00000000 00000028
      00 00 000c 00000001 01 00 000e
    `,
    expected: { payloads: [{ type: 11, doi: 1, protocolId: 1, messageType: 14, spi: x(''), data: x('') }] },
  },
  {
    name: 'N: INITIAL-CONTACT with the cookie pair as SPI',
    hex: `
      ${I} ${R} 0b 10 05 00 0a0b0c0d 00000038
      00 00 001c 00000001 01 10 6002 ${I}${R}
    `,
    expected: { payloads: [{ type: 11, messageType: 24578, spi: x(I + R), data: x('') }] },
  },
  {
    name: 'N: RESPONDER-LIFETIME, data read as attributes',
    hex: `
      ${I} ${R} 0b 10 20 00 01020304 00000038
      00 00 001c 00000001 03 04 6000 01020304 8001 0001 0002 0004 00000e10
    `,
    expected: {
      payloads: [
        {
          type: 11,
          protocolId: 3,
          messageType: 24576,
          spi: x('01020304'),
          data: x('8001000100020004 00000e10'),
          attributes: [
            { type: 1, value: 1 },
            { type: 2, data: x('00000e10') },
          ],
        },
      ],
    },
  },
  {
    name: 'N: DPD R-U-THERE with a sequence number',
    hex: `
      ${I} ${R} 0b 10 05 00 0a0b0c0d 0000003c
      00 00 0020 00000001 01 10 8d28 ${I}${R} 0000002a
    `,
    expected: { payloads: [{ type: 11, messageType: 36136, data: x('0000002a') }] },
  },
  {
    name: 'D: two ESP SPIs',
    hex: `
      ${I} ${R} 0c 10 05 00 0a0b0c0d 00000030
      00 00 0014 00000001 03 04 0002 01020304 05060708
    `,
    expected: {
      payloads: [{ type: 12, doi: 1, protocolId: 3, spiSize: 4, spis: [x('01020304'), x('05060708')] }],
    },
  },
  {
    name: 'D: ISAKMP SA by its cookie pair',
    hex: `
      ${I} ${R} 0c 10 05 00 0a0b0c0d 00000038
      00 00 001c 00000001 01 10 0001 ${I}${R}
    `,
    expected: { payloads: [{ type: 12, protocolId: 1, spiSize: 16, spis: [x(I + R)] }] },
  },
  {
    name: 'VID: DPD',
    hex: `
      ${I} ${Z} 0d 10 02 00 00000000 00000030
      00 00 0014 afcad71368a1f1c96b8696fc77570100
    `,
    expected: { payloads: [{ type: 13, data: x('afcad71368a1f1c96b8696fc77570100') }] },
  },
  {
    name: 'ATTR: XAUTH request (type TV, name and password TLV)',
    hex: `
      ${I} ${R} 0e 10 06 00 0a0b0c0d 00000030
      00 00 0014 01 00 1234 c088 0000 4089 0000 408a 0000
    `,
    expected: {
      payloads: [
        {
          type: 14,
          cfgType: 1,
          identifier: 0x1234,
          attributes: [
            { type: 16520, value: 0 },
            { type: 16521, data: x('') },
            { type: 16522, data: x('') },
          ],
        },
      ],
    },
  },
  {
    name: 'ATTR: mode-config reply with address, netmask, DNS, application version',
    hex: `
      ${I} ${R} 0e 10 06 00 0a0b0c0d 00000044
      00 00 0028 02 00 0001 0001 0004 0a0a0a01 0002 0004 ffffff00 0003 0004 08080808 0007 0004 74657374
    `,
    expected: {
      payloads: [
        {
          type: 14,
          cfgType: 2,
          identifier: 1,
          attributes: [
            { type: 1, data: x('0a0a0a01') },
            { type: 2, data: x('ffffff00') },
            { type: 3, data: x('08080808') },
            { type: 7, data: x('74657374') },
          ],
        },
      ],
    },
  },
  {
    name: 'SA: GDOI (DOI 2) header, then SA KEK and SA TEK payloads inside its length',
    hex: `
      ${I} ${R} 01 10 20 00 00000000 00000040
      00 00 0024 00000002 00000000
      0f 000000
      10 00 0008 aabbccdd
      00 00 000c 01000000 11223344
    `,
    expected: {
      payloads: [
        {
          type: 1,
          doi: 2,
          situation: 0,
          proposals: [],
          gdoi: {
            nextPayload: 15,
            payloads: [
              { type: 15, data: x('aabbccdd') },
              { type: 16, data: x('01000000 11223344') },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'SAK (GDOI, opaque)',
    hex: `
      ${I} ${R} 0f 10 20 00 01020304 00000024
      00 00 0008 01020304
    `,
    expected: { payloads: [{ type: 15, data: x('01020304') }] },
  },
  {
    name: 'SAT (GDOI, opaque)',
    hex: `
      ${I} ${R} 10 10 20 00 01020304 00000024
      00 00 0008 01020304
    `,
    expected: { payloads: [{ type: 16, data: x('01020304') }] },
  },
  {
    name: 'KD (GDOI, opaque)',
    hex: `
      ${I} ${R} 11 10 20 00 01020304 00000024
      00 00 0008 00010000
    `,
    expected: { payloads: [{ type: 17, data: x('00010000') }] },
  },
  {
    name: 'SEQ (GDOI, typed sequence number)',
    hex: `
      ${I} ${R} 12 10 20 00 01020304 00000024
      00 00 0008 0000002a
    `,
    expected: { payloads: [{ type: 18, sequence: 42, data: x('0000002a') }] },
  },
  {
    name: 'POP (GDOI, opaque)',
    hex: `
      ${I} ${R} 13 10 20 00 01020304 00000024
      00 00 0008 01020304
    `,
    expected: { payloads: [{ type: 19, data: x('01020304') }] },
  },
  {
    name: 'GAP (GDOI, opaque)',
    hex: `
      ${I} ${R} 16 10 20 00 01020304 00000024
      00 00 0008 01020304
    `,
    expected: { payloads: [{ type: 22, data: x('01020304') }] },
  },
  {
    name: 'NAT-D (RFC 3947)',
    hex: `
      ${I} ${R} 14 10 02 00 00000000 00000034
      00 00 0018 00112233445566778899aabbccddeeff00112233
    `,
    expected: { payloads: [{ type: 20, data: x('00112233445566778899aabbccddeeff00112233') }] },
  },
  {
    name: 'NAT-D (draft number 130)',
    hex: `
      ${I} ${R} 82 10 02 00 00000000 00000034
      00 00 0018 00112233445566778899aabbccddeeff00112233
    `,
    expected: { payloads: [{ type: 130, data: x('00112233445566778899aabbccddeeff00112233') }] },
  },
  {
    name: 'NAT-OA: IPv4 (RFC 3947)',
    hex: `
      ${I} ${R} 15 10 20 00 01020304 00000028
      00 00 000c 01 000000 c0a80001
    `,
    expected: { payloads: [{ type: 21, idType: 1, data: x('c0a80001'), address: '192.168.0.1' }] },
  },
  {
    name: 'NAT-OA: IPv6 (draft number 131)',
    hex: `
      ${I} ${R} 83 10 20 00 01020304 00000034
      00 00 0018 05 000000 20010db8000000000000000000000001
    `,
    expected: { payloads: [{ type: 131, idType: 5, address: '2001:db8::1' }] },
  },
  {
    name: 'FRAG: first of two fragments',
    hex: `
      ${I} ${R} 84 10 02 00 00000000 00000030
      00 00 0014 0001 01 00 000102030405060708090a0b
    `,
    expected: {
      payloads: [
        { type: 132, fragmentId: 1, fragmentNumber: 1, flags: 0, last: false, data: x('000102030405060708090a0b') },
      ],
    },
  },
  {
    name: 'FRAG: last fragment',
    hex: `
      ${I} ${R} 84 10 02 00 00000000 00000030
      00 00 0014 0002 02 01 0c0d0e0f1011121314151617
    `,
    expected: {
      payloads: [
        { type: 132, fragmentId: 2, fragmentNumber: 2, flags: 1, last: true, data: x('0c0d0e0f1011121314151617') },
      ],
    },
  },
  {
    name: 'Unknown payload type 200, kept raw',
    hex: `
      ${I} ${R} c8 10 02 00 00000000 00000024
      00 00 0008 abcdef01
    `,
    expected: { payloads: [{ type: 200, raw: x('abcdef01') }] },
  },
  {
    name: 'Encrypted body: opaque ciphertext, header names HASH first',
    hex: `
      ${I} ${R} 08 10 20 01 01020304 0000003c
      000102030405060708090a0b0c0d0e0f 101112131415161718191a1b1c1d1e1f
    `,
    expected: {
      header: { nextPayload: 8, flags: 1 },
      payloads: [],
      encrypted: x('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
    },
  },
  {
    name: 'Main mode 3: KE, NONCE, two VIDs, two NAT-Ds',
    hex: `
      ${I} ${R} 04 10 02 00 00000000 000000ac
      0a 00 0024 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
      0d 00 0014 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
      0d 00 0014 afcad71368a1f1c96b8696fc77570100
      14 00 0014 4a131c81070358455c5728f20e95452f
      14 00 0018 00112233445566778899aabbccddeeff00112233
      00 00 0018 33221100ffeeddccbbaa99887766554433221100
    `,
    expected: {
      payloads: [
        { type: 4 },
        { type: 10 },
        { type: 13, data: x('afcad71368a1f1c96b8696fc77570100') },
        { type: 13, data: x('4a131c81070358455c5728f20e95452f') },
        { type: 20 },
        { type: 20 },
      ],
    },
  },
  {
    name: 'Quirk: non-zero RESERVED byte kept',
    hex: `
      ${I} ${R} 0d 10 02 00 00000000 00000024
      00 80 0008 01020304
    `,
    expected: { payloads: [{ type: 13, reserved: 0x80, data: x('01020304') }] },
  },
  {
    name: 'Quirk: transform count 3 with one transform present',
    hex: `
      ${I} ${Z} 01 10 02 00 00000000 00000040
      00 00 0024 00000001 00000001
      00 00 0018 01 01 00 03
      00 00 0010 01 01 0000 8001 0005 8002 0002
    `,
    expected: {
      payloads: [{ type: 1, proposals: [{ transformCount: 3, transforms: [{ id: 1 }] }] }],
      warnings: [{ code: 'COUNT_MISMATCH', offset: 47 }],
    },
  },
  {
    name: 'Quirk: bytes after the last payload inside the header length',
    hex: `
      ${I} ${R} 0d 10 02 00 00000000 00000028
      00 00 0008 01020304
      00000000
    `,
    expected: {
      payloads: [{ type: 13, data: x('01020304') }],
      trailing: x('00000000'),
      warnings: [{ code: 'TRAILING_DATA', offset: 36 }],
    },
  },
];
