import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  Exchange,
  exchangeName,
  exchangeNumber,
  isErrorNotify,
  Notify,
  notifyName,
  notifyNumber,
  Payload,
  payloadName,
  payloadNumber,
} from '../src/index';

describe('name tables', () => {
  it.each([
    ['STATUS_INITIAL_CONTACT', 24578],
    ['STATUS_RESP_LIFETIME', 24576],
    ['NOTIFY_CONNECTED', 16384],
    ['NO_PROPOSAL_CHOSEN', 14],
    ['PAYLOAD_MALFORMED', 16],
    ['INVALID_ID_INFORMATION', 18],
    ['AUTHENTICATION_FAILED', 24],
  ])('%s = %i both ways', (name, value) => {
    expect(notifyNumber(name)).toBe(value);
    expect(notifyName(value)).toBe(name);
  });

  it('reads the RFC 2408 hyphenated spellings', () => {
    expect(notifyNumber('AUTHENTICATION-FAILED')).toBe(24);
    expect(notifyNumber('PAYLOAD-MALFORMED')).toBe(16);
    expect(notifyNumber('INVALID-ID-INFORMATION')).toBe(18);
  });

  it('names 0 RESERVED (neither error nor status) and reads bare numbers', () => {
    expect(notifyName(0)).toBe('RESERVED');
    expect(notifyNumber('RESERVED')).toBe(0);
    expect(notifyNumber('36136')).toBe(36136);
    expect(notifyNumber('70000')).toBeUndefined();
  });

  it('names every RFC 2408 error 1–30', () => {
    for (let n = 1; n <= 30; n++) expect(notifyName(n)).not.toMatch(/^ERROR_/);
  });

  test.prop([fc.integer({ min: 0, max: 65535 })], { numRuns: 2000 })(
    'every notify number has a client-style name that reads back',
    (n) => {
      const name = notifyName(n);
      expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(notifyNumber(name)).toBe(n);
      expect(isErrorNotify(n)).toBe(n > 0 && n < 16384);
    },
  );

  it('rejects names that are not notify names', () => {
    expect(notifyNumber('HELLO')).toBeUndefined();
    expect(notifyNumber('ERROR_20000')).toBeUndefined();
    expect(notifyNumber('STATUS_5')).toBeUndefined();
    expect(notifyNumber('STATUS_70000')).toBeUndefined();
  });

  it('maps every alias to a number whose canonical name maps back to it', () => {
    for (const [name, value] of Object.entries(Notify)) {
      expect(notifyNumber(name)).toBe(value);
      expect(notifyNumber(notifyName(value))).toBe(value);
    }
    for (const [name, value] of Object.entries(Payload)) {
      expect(payloadNumber(name)).toBe(value);
      expect(payloadNumber(payloadName(value) ?? '')).toBe(value);
    }
    for (const [name, value] of Object.entries(Exchange)) {
      expect(exchangeName(value)).toBe(name);
      expect(exchangeNumber(name)).toBe(value);
    }
  });

  it('maps the client abbreviations to ISAKMP numbers', () => {
    expect([exchangeNumber('MM'), exchangeNumber('AG'), exchangeNumber('QM'), exchangeNumber('INFO')]).toEqual([
      2, 4, 32, 5,
    ]);
    expect([payloadNumber('NON'), payloadNumber('NAT-D'), payloadNumber('NATD'), payloadNumber('CERT_REQ')]).toEqual([
      10, 20, 20, 7,
    ]);
    expect(payloadName(20)).toBe('NAT-D');
    expect(exchangeNumber('toString')).toBeUndefined();
    expect(payloadNumber('constructor')).toBeUndefined();
  });
});
