import { describe, expect, it } from 'vitest';
import {
  build,
  createFragmentReassembler,
  decode,
  ExchangeType,
  encode,
  type FragmentPayload,
  isPayload,
  PayloadType,
} from '../src/index';
import { x } from './helpers';

const frag = (fragmentNumber: number, last: boolean, data: string, fragmentId = 7): FragmentPayload =>
  build.fragment({ fragmentId, fragmentNumber, last, data: x(data) });

describe('createFragmentReassembler', () => {
  it('joins fragments in order', () => {
    const r = createFragmentReassembler();
    expect(r.push(frag(1, false, '0102'))).toMatchObject({ status: 'incomplete', received: 1 });
    expect(r.push(frag(2, true, '0304'))).toMatchObject({ status: 'complete', message: x('01020304'), fragments: 2 });
    expect(r.pending).toBe(0);
  });

  it('joins fragments out of order', () => {
    const r = createFragmentReassembler();
    expect(r.push(frag(3, true, '05'))).toMatchObject({ status: 'incomplete', missing: [1, 2] });
    expect(r.push(frag(1, false, '01'))).toMatchObject({ status: 'incomplete', missing: [2] });
    expect(r.push(frag(2, false, '03'))).toMatchObject({ status: 'complete', message: x('010305') });
  });

  it('ignores an exact duplicate and rejects a conflicting one', () => {
    const r = createFragmentReassembler();
    r.push(frag(1, false, '01'));
    expect(r.push(frag(1, false, '01'))).toMatchObject({ status: 'rejected', reason: 'duplicate' });
    expect(r.push(frag(1, false, 'ff'))).toMatchObject({ status: 'rejected', reason: 'conflict' });
    expect(r.push(frag(2, true, '02'))).toMatchObject({ status: 'complete', message: x('0102') });
  });

  it('stays incomplete across a gap', () => {
    const r = createFragmentReassembler();
    r.push(frag(1, false, '01'));
    expect(r.push(frag(3, true, '03'))).toMatchObject({ status: 'incomplete', missing: [2] });
  });

  it('never completes without the last fragment, and bounds what it holds', () => {
    const r = createFragmentReassembler({ maxPending: 4 });
    for (let id = 0; id < 100; id++) expect(r.push(frag(1, false, '01', id)).status).toBe('incomplete');
    expect(r.pending).toBe(4);
  });

  it('names the message it drops to make room, oldest first, and only when it drops one', () => {
    const r = createFragmentReassembler({ maxPending: 2 });
    expect(r.push(frag(1, false, '01', 1), 'k')).not.toHaveProperty('evicted');
    expect(r.push(frag(1, false, '01', 2), 'k')).not.toHaveProperty('evicted');
    // A fragment of a held message evicts nothing; a new message evicts the oldest.
    expect(r.push(frag(2, false, '02', 1), 'k')).not.toHaveProperty('evicted');
    expect(r.push(frag(1, false, '01', 3), 'k')).toMatchObject({ status: 'incomplete', evicted: 'k#1' });
    // A one-fragment message that completes at once still says what it pushed out.
    expect(r.push(frag(1, true, '0a', 4), 'k')).toMatchObject({ status: 'complete', evicted: 'k#2' });
    expect(r.pending).toBe(1);
  });

  it('rejects overlapping claims: a second last fragment, numbers past the last, a last below held numbers', () => {
    const r = createFragmentReassembler();
    r.push(frag(2, true, '02'));
    expect(r.push(frag(3, true, '03'))).toMatchObject({ status: 'rejected', reason: 'bad-number' });
    expect(r.push(frag(3, false, '03'))).toMatchObject({ status: 'rejected', reason: 'bad-number' });
    const s = createFragmentReassembler();
    s.push(frag(1, true, '01', 1));
    s.push(frag(2, false, '02', 2));
    s.push(frag(3, false, '03', 2));
    expect(s.push(frag(2, true, '02', 2))).toMatchObject({ status: 'rejected', reason: 'conflict' });
    expect(s.push(frag(1, true, '01', 2))).toMatchObject({ status: 'rejected', reason: 'bad-number' });
    const t = createFragmentReassembler();
    t.push(frag(1, false, '01'));
    t.push(frag(3, true, '03'));
    expect(t.push(frag(2, true, '02'))).toMatchObject({ status: 'rejected', reason: 'conflict' });
  });

  it('by default takes every fragment number the one-byte field holds (a message in 44 fragments completes)', () => {
    const r = createFragmentReassembler();
    for (let n = 1; n < 44; n++) expect(r.push(frag(n, false, '01')).status).toBe('incomplete');
    expect(r.push(frag(44, true, '01'))).toMatchObject({ status: 'complete', fragments: 44 });
    const most = createFragmentReassembler();
    expect(most.push(frag(255, true, '01')).status).toBe('incomplete');
  });

  it('rejects fragment number 0 and numbers past maxFragments', () => {
    const r = createFragmentReassembler({ maxFragments: 4 });
    expect(r.push(frag(0, false, '01'))).toMatchObject({ status: 'rejected', reason: 'bad-number' });
    expect(r.push(frag(5, true, '01'))).toMatchObject({ status: 'rejected', reason: 'bad-number' });
  });

  it('rejects a message that would exceed maxBytes', () => {
    const r = createFragmentReassembler({ maxBytes: 4 });
    r.push(frag(1, false, '010203'));
    expect(r.push(frag(2, true, '0405'))).toMatchObject({ status: 'rejected', reason: 'too-large' });
  });

  it('rejects retransmitted fragments of a completed message', () => {
    const r = createFragmentReassembler();
    r.push(frag(1, true, '01'));
    expect(r.push(frag(1, true, '01'))).toMatchObject({ status: 'rejected', reason: 'already-complete' });
  });

  it('reassembles a new message that reuses a completed fragment ID (libreswan always uses ID 1)', () => {
    const r = createFragmentReassembler();
    expect(r.push(frag(1, false, '01', 1))).toMatchObject({ status: 'incomplete' });
    expect(r.push(frag(2, true, '02', 1))).toMatchObject({ status: 'complete', message: x('0102') });
    expect(r.push(frag(1, false, 'a1', 1))).toMatchObject({ status: 'incomplete' });
    expect(r.push(frag(2, true, 'a2', 1))).toMatchObject({ status: 'complete', message: x('a1a2') });
    expect(r.push(frag(2, true, 'a2', 1))).toMatchObject({ status: 'rejected', reason: 'already-complete' });
    expect(r.push(frag(1, false, '01', 1))).toMatchObject({ status: 'incomplete' });
  });

  it('treats a fragment that differs from a held one only in its last flag as a conflict', () => {
    const r = createFragmentReassembler();
    r.push(frag(1, false, '01'));
    r.push(frag(2, false, '02'));
    expect(r.push(frag(2, true, '02'))).toMatchObject({ status: 'rejected', reason: 'conflict' });
    const s = createFragmentReassembler();
    s.push(frag(2, true, '02'));
    expect(s.push(frag(2, false, '02'))).toMatchObject({ status: 'rejected', reason: 'conflict' });
    expect(s.push(frag(2, true, '02'))).toMatchObject({ status: 'rejected', reason: 'duplicate' });
  });

  it('treats a completed fragment retransmitted with another last flag as a new message', () => {
    const r = createFragmentReassembler();
    r.push(frag(1, true, '01'));
    expect(r.push(frag(1, false, '01'))).toMatchObject({ status: 'incomplete' });
  });

  it.each([
    { maxPending: 0 },
    { maxPending: -1 },
    { maxPending: 1.5 },
    { maxFragments: 0 },
    { maxFragments: 256 },
    { maxBytes: 0 },
    { maxBytes: Number.NaN },
  ])('rejects options %o with RangeError', (options) => {
    expect(() => createFragmentReassembler(options)).toThrow(RangeError);
  });

  it('with maxPending 1 still completes a message while evicting older ones', () => {
    const r = createFragmentReassembler({ maxPending: 1 });
    r.push(frag(1, false, '01', 1));
    r.push(frag(1, false, 'aa', 2));
    expect(r.pending).toBe(1);
    expect(r.push(frag(2, true, 'bb', 2))).toMatchObject({ status: 'complete', message: x('aabb') });
    expect(r.push(frag(2, true, '02', 1))).toMatchObject({ status: 'incomplete', missing: [1] });
    expect(r.push(frag(1, false, '01', 1))).toMatchObject({ status: 'complete', message: x('0102') });
  });

  it('keeps messages of different keys and fragment IDs apart', () => {
    const r = createFragmentReassembler();
    r.push(frag(1, false, '01'), 'a');
    r.push(frag(1, false, 'aa', 8), 'a');
    expect(r.push(frag(2, true, '02'), 'b')).toMatchObject({ status: 'incomplete' });
    expect(r.push(frag(2, true, '02'), 'a')).toMatchObject({ status: 'complete', message: x('0102') });
    expect(r.pending).toBe(2);
    r.clear();
    expect(r.pending).toBe(0);
  });

  it('reassembles a message fragmented by build.fragments back to the same bytes', () => {
    const whole = encode(
      build.message({
        exchangeType: ExchangeType.IDENTITY_PROTECTION,
        payloads: [build.ke(new Uint8Array(256).fill(7)), build.nonce(new Uint8Array(32).fill(1))],
      }),
    );
    const fragments = build.fragments(whole, 100, { exchangeType: ExchangeType.IDENTITY_PROTECTION, fragmentId: 3 });
    expect(fragments).toHaveLength(4);
    const r = createFragmentReassembler();
    const results = [...fragments].reverse().map((m) => {
      const p = decode(encode(m)).payloads[0]!;
      if (!isPayload(p, PayloadType.FRAGMENT)) throw new Error('not a fragment');
      return r.push(p);
    });
    const done = results.at(-1);
    expect(done?.status).toBe('complete');
    expect(done?.status === 'complete' && done.message).toEqual(whole);
  });
});
