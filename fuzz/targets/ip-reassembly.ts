import { createIpReassembler, type FragmentPiece } from '@oaklog/pcap';
import { ByteSource, bytesEqual, check } from '../lib/bytes';

/**
 * IP reassembly against a model. The input chooses up to two datagrams (two keys, interleaved), cuts them into
 * pieces that may overlap, repeat, arrive in any order, or lie (different bytes in an overlap, a second "last"
 * piece with another end, a piece past the end), and limits small enough to hit. After every push the
 * reassembler must agree with a plain model of its documented rules: a drop must have a reason that applies and
 * every later piece of that datagram is dropped the same way; an accepted piece is held until the pieces cover
 * 0..end, and then the datagram is exactly the bytes held, with the protocol of the piece at offset 0 and every
 * frame that contributed. `bufferedBytes` must equal the model's held bytes.
 */

interface Held {
  pieces: { start: number; end: number; bytes: Uint8Array }[];
  frames: number[];
  total?: number;
  protocol: number;
  dead?: string;
}

export function fuzz(data: Uint8Array): void {
  const s = new ByteSource(data);
  const maxDatagramBytes = s.pick([65535, 65535, 200]);
  const maxFragments = s.pick([256, 256, 3]);
  const reassembler = createIpReassembler({ maxDatagramBytes, maxFragments, maxDatagrams: 16 });

  const originals = [s.bytes(s.int(0, 300)), s.bytes(s.int(0, 300))];
  const model = new Map<string, Held>();
  const steps = s.int(1, 30);
  for (let frame = 1; frame <= steps && s.remaining > 0; frame++) {
    const which = s.int(0, 1);
    const key = `k${which}`;
    const original = originals[which]!;
    const start = s.int(0, original.length);
    let end = s.int(start, Math.min(original.length, start + s.pick([8, 64, 300])));
    let more = end < original.length;
    let payload: Uint8Array = original.slice(start, end);
    const lie = s.int(0, 9);
    if (lie === 0 && payload.length > 0) payload[s.int(0, payload.length - 1)]! ^= 1 + s.int(0, 254);
    else if (lie === 1) more = !more;
    else if (lie === 2) {
      payload = s.bytes(s.int(0, 20));
      end = start + payload.length;
    }
    const protocol = s.pick([17, 17, 17, 6, 1]);
    const piece: FragmentPiece = { key, offset: start, more, payload, protocol, frame };
    const h: Held = model.get(key) ?? { pieces: [], frames: [], protocol };
    const result = reassembler.push(piece);

    model.set(key, h);
    const where = () => `frame ${frame}: ${key} [${start}, ${end})${more ? ' more' : ' last'}`;
    if (h.dead) {
      check(
        result.status === 'dropped' && result.reason === h.dead,
        () => `${where()}: datagram was dropped, got ${result.status}`,
      );
      continue;
    }
    const total = more ? h.total : end;
    const reasons = new Set<string>();
    if (end > maxDatagramBytes) reasons.add('too-large');
    if (!more && h.total !== undefined && h.total !== end) reasons.add('inconsistent-length');
    if (total !== undefined && end > total) reasons.add('inconsistent-length');
    // An end announced below bytes already held is the same inconsistency, seen from the other side.
    if (total !== undefined && h.pieces.some((q) => q.end > total)) reasons.add('inconsistent-length');
    let duplicate = false;
    for (const q of h.pieces) {
      for (let k = Math.max(start, q.start); k < Math.min(end, q.end); k++) {
        if (payload[k - start] !== q.bytes[k - q.start]) reasons.add('overlap-conflict');
      }
      if (q.start <= start && q.end >= end) duplicate = true;
    }
    if (!duplicate && h.pieces.length >= maxFragments) reasons.add('too-many-fragments');

    if (result.status === 'dropped') {
      check(
        reasons.has(result.reason),
        () => `${where()}: dropped as ${result.reason}; the model allows ${[...reasons].join(', ') || 'nothing'}`,
      );
      h.dead = result.reason;
      h.pieces = [];
      continue;
    }
    check(reasons.size === 0, () => `${where()}: accepted though ${[...reasons].join(', ')}`);
    h.frames.push(frame);
    if (total !== undefined) h.total = total;
    if (start === 0) h.protocol = protocol;
    if (!duplicate) h.pieces.push({ start, end, bytes: payload });

    let covered = 0;
    for (const q of [...h.pieces].sort((a, b) => a.start - b.start)) {
      if (q.start > covered) break;
      covered = Math.max(covered, q.end);
    }
    const complete = h.total !== undefined && covered >= h.total;
    check(
      complete === (result.status === 'complete'),
      () => `${where()}: ${result.status}, the model says ${complete ? 'complete' : 'held'}`,
    );
    if (result.status === 'complete') {
      const expected = new Uint8Array(h.total!);
      for (const q of h.pieces) expected.set(q.bytes, q.start);
      check(bytesEqual(result.payload, expected), () => `${where()}: reassembled bytes differ from the pieces held`);
      check(result.protocol === h.protocol, () => `${where()}: protocol ${result.protocol}, model ${h.protocol}`);
      check(
        JSON.stringify(result.frames) === JSON.stringify(h.frames),
        () => `${where()}: frames ${result.frames}, model ${h.frames}`,
      );
      model.delete(key);
    }
    const held = [...model.values()].reduce((n, m) => n + m.pieces.reduce((k, q) => k + q.bytes.length, 0), 0);
    check(
      reassembler.bufferedBytes === held,
      () => `${where()}: bufferedBytes ${reassembler.bufferedBytes}, model ${held}`,
    );
  }
  reassembler.flush();
  check(reassembler.pending === 0 && reassembler.bufferedBytes === 0, 'flush left datagrams or bytes behind');
}
