/**
 * The one-line readings `oaklog decode` and the web page print: registry names where the registries have them, and
 * numbers no registry names as the View Log's words (`EXCHANGE_16`, `PAYLOAD_133`), never a bare number.
 */
import { build, decode, encode } from '@oaklog/isakmp';
import { describe, expect, it } from 'vitest';
import { describeMessage } from '../src/index';

const cookie = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

describe('describeMessage', () => {
  it('names a known exchange and its payloads from the registries', () => {
    const m = decode(
      encode(
        build.message({ initiatorCookie: cookie, exchangeType: 2, payloads: [build.vendorId(Uint8Array.of(1, 2))] }),
      ),
    );
    expect(describeMessage(m)).toMatch(
      /^IDENTITY_PROTECTION 0102030405060708\/0000000000000000 msgid 00000000: VENDOR_ID/,
    );
  });

  it('says what an unnamed number is: EXCHANGE_16, PAYLOAD_133', () => {
    const m = decode(
      encode(
        build.message({
          initiatorCookie: cookie,
          exchangeType: 16,
          payloads: [build.unknown(133, Uint8Array.of(9, 9))],
        }),
      ),
    );
    expect(describeMessage(m)).toMatch(/^EXCHANGE_16 .*: PAYLOAD_133/);
  });
});
