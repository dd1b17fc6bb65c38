import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  DpdNotify,
  exchangeTypeName,
  invert,
  isErrorNotify,
  NOTIFY_STATUS_BASE,
  NotifyError,
  NotifyStatus,
  NotifyType,
  notifyKind,
  notifyTypeName,
  PayloadType,
  payloadTypeName,
} from '../src/index';

describe('invert', () => {
  it('names each number by its first name', () => {
    expect([...invert({ A: 1, B: 2, C: 1 })]).toEqual([
      [1, 'A'],
      [2, 'B'],
    ]);
  });
});

describe('the registries', () => {
  it('name numbers both ways', () => {
    expect(payloadTypeName.get(PayloadType.NAT_D)).toBe('NAT_D');
    expect(exchangeTypeName.get(2)).toBe('IDENTITY_PROTECTION');
    expect(notifyTypeName.get(NotifyType.INITIAL_CONTACT)).toBe('INITIAL_CONTACT');
  });

  it('give each notify number one name, in number order', () => {
    const values = Object.values(NotifyType);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  it('hold the RFC 2408 errors, the standard statuses and DPD in the notify table', () => {
    expect(NotifyType).toMatchObject({ ...NotifyError, ...NotifyStatus, ...DpdNotify });
    expect(Object.values(NotifyError)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const value of [...Object.values(NotifyStatus), ...Object.values(DpdNotify)])
      expect(notifyKind(value)).toBe('status');
  });
});

describe('notify classification (RFC 2408 3.14.1)', () => {
  test.prop([fc.integer({ min: -1, max: 0x10001 })], { numRuns: 500 })('errors are 1–16383, statuses to 65535', (n) => {
    expect(isErrorNotify(n)).toBe(n >= 1 && n < NOTIFY_STATUS_BASE);
    expect(notifyKind(n)).toBe(n >= 1 && n <= 16383 ? 'error' : n >= 16384 && n <= 65535 ? 'status' : undefined);
  });
});
