/**
 * Hand-written IKEv2 vectors (RFC 7296 3.1–3.14, RFC 7383 2.5), one header per line as in vectors.mjs: each a whole
 * message that tshark decodes too (`make-goldens.mjs` writes what it said to `ikev2.tshark.json.golden`).
 *
 * Plain JavaScript so the golden script runs with bare Node; `ikev2-vectors.d.mts` types it for the tests.
 */

const I = '0011223344556677';
const R = '8899aabbccddeeff';
const Z = '0000000000000000';
/** `n` bytes of a repeated hex byte. */
const fill = (byte, n) => byte.repeat(n);

/** @type {import('./vectors.d.mts').Vector[]} */
export const ikev2Vectors = [
  {
    name: 'IKE_SA_INIT request: SA, KE, Nonce, two NAT detection notifies, vendor ID',
    hex: `
      ${I} ${Z} 21 20 22 08 00000000 00000104
      22 00 0030
        00 00 002c 01 01 00 04
          03 00 000c 01 00 000c 800e0080
          03 00 0008 02 00 0005
          03 00 0008 03 00 000c
          00 00 0008 04 00 0013
      28 00 0048 0013 0000 ${fill('ab', 64)}
      29 00 0024 ${fill('11', 32)}
      29 00 001c 00 00 4004 ${fill('22', 20)}
      2b 00 001c 00 00 4005 ${fill('33', 20)}
      00 00 0014 882fe56d6fd20dbc2251613b2ebe5beb
    `,
    expected: {
      version: 2,
      header: {
        nextPayload: 33,
        majorVersion: 2,
        minorVersion: 0,
        exchangeType: 34,
        flags: 8,
        messageId: 0,
        length: 260,
      },
      payloads: [
        { type: 33, critical: false },
        { type: 34, critical: false },
        { type: 40, critical: false },
        { type: 41, protocolId: 0, messageType: 16388 },
        { type: 41, protocolId: 0, messageType: 16389 },
        { type: 43, critical: false },
      ],
    },
  },
  {
    name: 'IKE_AUTH request: SK payload naming IDi as its first inner payload',
    hex: `
      ${I} ${R} 2e 20 23 08 00000001 00000060
      23 00 0044 ${fill('5a', 16)} ${fill('c3', 36)} ${fill('e7', 12)}
    `,
    expected: {
      version: 2,
      header: { nextPayload: 46, exchangeType: 35, flags: 8, messageId: 1, length: 96 },
      payloads: [{ type: 46, firstPayload: 35, critical: false }],
    },
  },
  {
    name: 'IKE_AUTH response: SKF fragment 1 of 2 naming IDr',
    hex: `
      ${I} ${R} 35 20 23 20 00000001 0000004c
      24 00 0030 0001 0002 ${fill('9d', 40)}
    `,
    expected: {
      version: 2,
      header: { nextPayload: 53, exchangeType: 35, flags: 0x20, messageId: 1, length: 76 },
      payloads: [{ type: 53, firstPayload: 36, fragmentNumber: 1, totalFragments: 2 }],
    },
  },
  {
    name: 'IKE_AUTH response: SKF fragment 2 of 2, next payload 0',
    hex: `
      ${I} ${R} 35 20 23 20 00000001 0000004c
      00 00 0030 0002 0002 ${fill('9e', 40)}
    `,
    expected: {
      version: 2,
      payloads: [{ type: 53, firstPayload: 0, fragmentNumber: 2, totalFragments: 2 }],
    },
  },
  {
    name: 'INFORMATIONAL: critical Notify with an ESP SPI, Delete with a reserved bit set',
    hex: `
      ${I} ${R} 29 20 25 20 00000002 00000034
      2a 80 000c 03 04 4009 c0ffee01
      00 01 000c 03040001 c0ffee01
    `,
    expected: {
      version: 2,
      header: { exchangeType: 37, flags: 0x20, messageId: 2, length: 52 },
      payloads: [
        { type: 41, critical: true, protocolId: 3, messageType: 16393 },
        { type: 42, critical: false, reserved: 1 },
      ],
    },
  },
  {
    name: 'IKE_SA_INIT response: INVALID_KE_PAYLOAD notify, bytes after it inside the header length',
    hex: `
      ${I} ${R} 29 20 22 20 00000000 0000002a
      00 00 000a 00 00 0011 0013
      00000000
    `,
    expected: {
      version: 2,
      payloads: [{ type: 41, messageType: 17 }],
      warnings: [{ code: 'TRAILING_DATA', offset: 38 }],
    },
  },
  {
    name: 'IKE_INTERMEDIATE request: SK naming a KE payload',
    hex: `
      ${I} ${R} 2e 20 2b 08 00000001 00000040
      22 00 0024 ${fill('71', 32)}
    `,
    expected: {
      version: 2,
      header: { exchangeType: 43 },
      payloads: [{ type: 46, firstPayload: 34 }],
    },
  },
];
