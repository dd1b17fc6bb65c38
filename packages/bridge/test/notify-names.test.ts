import { isErrorNotify as codecIsError, isNotifyError, NotifyType, notifyKind, notifyTypeName } from '@oaklog/isakmp';
import { isErrorNotify as grammarIsError, NOTIFY_STATUS_BASE, Notify, notifyName, notifyNumber } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';

// The codec and the grammar each bundle their own copy of one registry: these checks hold them to the same facts
// through the published entries, the way the bridge meets them.
describe('one notify table for the codec and the grammar', () => {
  it('gives every notify the codec names the same number in the grammar, where the grammar knows it', () => {
    const shared = Object.entries(NotifyType).filter(([name]) => Object.hasOwn(Notify, name));
    // The 30 RFC 2408 errors, the four standard statuses, DPD's two and the two Unity statuses the client prints.
    expect(shared).toHaveLength(38);
    for (const [name, value] of shared) {
      expect(notifyNumber(name), name).toBe(value);
      expect(Notify[name as keyof typeof Notify]).toBe(value);
    }
  });

  it('names the RFC 2408 errors alike in both', () => {
    for (let n = 1; n <= 30; n++) expect(notifyName(n)).toBe(notifyTypeName.get(n));
  });

  it('reads every client spelling as a number the codec names', () => {
    for (const value of Object.values(Notify)) expect(notifyTypeName.get(value), String(value)).toBeDefined();
  });

  it('calls the same numbers errors', () => {
    expect(isNotifyError).toBe(codecIsError);
    const numbers = Array.from({ length: 0x10003 }, (_, i) => i - 1);
    const errors = numbers.filter(codecIsError);
    expect(numbers.filter(grammarIsError)).toEqual(errors);
    expect(numbers.filter((n) => notifyKind(n) === 'error')).toEqual(errors);
    expect(NOTIFY_STATUS_BASE).toBe(NotifyType.CONNECTED);
  });
});
