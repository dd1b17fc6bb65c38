import { concatBytes, equalBytes } from '@oaklog/common';
import { createFragmentReassembler, decode, encode, type FragmentPayload, type ReassemblyResult } from '@oaklog/isakmp';
import { ByteSource, be16, be32, check } from '../lib/bytes';
import { checkDatagram } from '../lib/isakmp-contract';

/**
 * IKE fragment reassembly against a model. The input chooses a few messages, cuts each into fragments, and
 * pushes them in any order mixed with duplicates, conflicting copies, stray numbers and a second "last"; every
 * fragment travels through the codec first (an ISAKMP datagram holding one fragment payload, 132). After each
 * push the reassembler must agree with a plain model of the documented rules (a completed message's exact
 * fragments are retransmissions, any other fragment with its ID starts a new message): a rejection must name a reason
 * that applies, an accepted fragment must be stored, and a completed message must be exactly the stored
 * fragments 1..last in order, once. Reassembled messages then go through the codec contract.
 */

interface Held {
  readonly parts: Map<number, Uint8Array>;
  bytes: number;
  last?: number;
}

/** One ISAKMP datagram carrying a single fragment payload, decoded back to the payload. */
function throughCodec(s: ByteSource, id: number, number: number, last: boolean, data: Uint8Array): FragmentPayload {
  const flags = (last ? 1 : 0) | (s.chance(16) ? s.u8() & 0xfe : 0);
  const payload = concatBytes([
    Uint8Array.of(0, 0),
    be16(8 + data.length),
    be16(id),
    Uint8Array.of(number, flags),
    data,
  ]);
  const header = concatBytes([
    s.bytes(8),
    new Uint8Array(8),
    Uint8Array.of(132, 0x10, 2, 0),
    be32(0),
    be32(28 + payload.length),
  ]);
  const datagram = concatBytes([header, payload]);
  const message = decode(datagram);
  check(equalBytes(encode(message), datagram), 'a fragment datagram did not re-encode byte-exact');
  const fragment = message.payloads[0];
  check(message.payloads.length === 1 && fragment?.type === 132, 'a fragment datagram did not decode to one fragment');
  const f = fragment as FragmentPayload;
  check(
    f.fragmentId === id &&
      f.fragmentNumber === number &&
      f.last === last &&
      f.flags === flags &&
      equalBytes(f.data, data),
    'fragment payload fields changed through the codec',
  );
  return f;
}

export function fuzz(data: Uint8Array): void {
  const s = new ByteSource(data);
  const maxFragments = s.pick([32, 32, 4, 8, 255]);
  const maxBytes = s.pick([65535, 65535, 64, 300]);
  const reassembler = createFragmentReassembler({ maxFragments, maxBytes, maxPending: 16 });

  // The messages to send: at most 3 keys × 3 IDs, so nothing is evicted and the model stays exact.
  const messages = Array.from({ length: s.int(1, 3) }, () => {
    const bytes = s.bytes(s.int(0, 160));
    const count = s.int(1, 6);
    const cuts = Array.from({ length: count - 1 }, () => s.int(0, bytes.length)).sort((a, b) => a - b);
    const bounds = [0, ...cuts, bytes.length];
    return {
      key: s.pick(['', 'peer-a', 'peer-b']),
      id: s.int(0, 2),
      pieces: Array.from({ length: count }, (_, i) => bytes.slice(bounds[i], bounds[i + 1])),
    };
  });

  const held = new Map<string, Held>();
  /** Completed messages, remembered so that a retransmitted fragment of one is recognised (and nothing else is). */
  const done = new Map<string, Held>();
  const steps = s.int(1, 40);
  for (let step = 0; step < steps && s.remaining > 0; step++) {
    const m = s.pick(messages);
    const kind = s.int(0, 9);
    let number: number;
    let last: boolean;
    let bytes: Uint8Array;
    if (kind < 7) {
      const i = s.int(0, m.pieces.length - 1);
      number = i + 1;
      last = i === m.pieces.length - 1;
      bytes = m.pieces[i]!;
    } else if (kind === 7) {
      number = s.int(1, m.pieces.length);
      last = s.chance(4);
      bytes = s.bytes(s.int(0, 20));
    } else {
      number = s.int(0, 10);
      last = s.chance(2);
      bytes = s.bytes(s.int(0, 20));
    }
    const fragment = throughCodec(s, m.id, number, last, bytes);
    const id = `${m.key}\u0000${m.id}`;
    const result = reassembler.push(fragment, m.key);
    const h = held.get(id) ?? { parts: new Map<number, Uint8Array>(), bytes: 0 };

    // Every documented reason that applies to this fragment in the model's state. A fragment of a completed
    // message that is exactly one it held is a retransmission; anything else reuses the ID for a new message.
    const holds = (x: Held) => {
      const part = x.parts.get(number);
      return part !== undefined && (x.last === number) === last && equalBytes(part, bytes);
    };
    const reasons = new Set<string>();
    const completed = done.get(id);
    if (completed && holds(completed)) reasons.add('already-complete');
    else {
      done.delete(id);
      if (number < 1 || number > maxFragments || (h.last !== undefined && number > h.last)) reasons.add('bad-number');
      if (last && [...h.parts.keys()].some((n) => n > number)) reasons.add('bad-number');
      if (h.parts.has(number)) reasons.add(holds(h) ? 'duplicate' : 'conflict');
      if (last && h.last !== undefined && h.last !== number) reasons.add('conflict');
      if (h.bytes + bytes.length > maxBytes) reasons.add('too-large');
    }

    const where = () => `step ${step}: fragment ${number}${last ? ' (last)' : ''} of ${JSON.stringify(id)}`;
    if (result.status === 'rejected') {
      check(
        reasons.has(result.reason),
        () => `${where()} rejected as ${result.reason}; the model allows ${[...reasons].join(', ') || 'nothing'}`,
      );
      continue;
    }
    check(reasons.size === 0, () => `${where()} accepted though ${[...reasons].join(', ')}`);
    h.parts.set(number, bytes);
    h.bytes += bytes.length;
    if (last) h.last = number;
    held.set(id, h);
    checkAccepted(result, h, where);
    if (result.status === 'complete') {
      held.delete(id);
      done.set(id, h);
      checkDatagram(result.message);
    }
    check(
      reassembler.pending === held.size,
      () => `${where()}: pending ${reassembler.pending}, model holds ${held.size}`,
    );
  }
}

function checkAccepted(result: Exclude<ReassemblyResult, { status: 'rejected' }>, h: Held, where: () => string): void {
  const complete = h.last !== undefined && h.parts.size === h.last;
  if (!complete) {
    check(result.status === 'incomplete', () => `${where()}: completed before every fragment was in`);
    if (result.status !== 'incomplete') return;
    check(result.received === h.parts.size, () => `${where()}: received ${result.received}, model ${h.parts.size}`);
    if (h.last !== undefined) {
      const missing = Array.from({ length: h.last }, (_, i) => i + 1).filter((n) => !h.parts.has(n));
      check(
        JSON.stringify(result.missing) === JSON.stringify(missing),
        () => `${where()}: missing ${result.missing}, model ${missing}`,
      );
    }
    return;
  }
  check(
    result.status === 'complete',
    () => `${where()}: all fragments 1..${h.last} are in but the result is ${result.status}`,
  );
  if (result.status !== 'complete') return;
  const expected = concatBytes(Array.from({ length: h.last! }, (_, i) => h.parts.get(i + 1)!));
  check(result.fragments === h.last, () => `${where()}: fragments ${result.fragments}, model ${h.last}`);
  check(equalBytes(result.message, expected), () => `${where()}: reassembled bytes differ from fragments 1..${h.last}`);
}
