import { equalBytes } from '@oaklog/common';
import { createIpReassembler, type FragmentPiece } from '@oaklog/pcap';
import { ByteSource, check } from '../lib/bytes';

/**
 * IP reassembly against a model. The input chooses up to two datagrams (two keys, interleaved), cuts them into
 * pieces that may overlap, repeat, arrive in any order, be empty, or lie (different bytes in an overlap, a second
 * "last" piece with another end, a piece past the end), and limits small enough to hit. After every push the
 * reassembler must agree with a plain byte-by-byte model of its documented rules:
 * - a drop must have a reason that applies, and every later piece of that datagram is dropped the same way, until a
 *   piece at offset 0 reuses the id: that starts a new datagram;
 * - each byte is held once, however often pieces repeat or overlap; the reassembler keeps one segment per run of
 *   new bytes a piece brings, and those segments count toward `maxFragments`;
 * - a zero-length piece holds nothing, but a last one still fixes the datagram's end;
 * - a datagram completes when bytes 0..end are held, with exactly those bytes, the protocol of the latest accepted
 *   piece at offset 0 and every frame that was accepted.
 * `bufferedBytes` must equal the bytes the model holds, and a drop must name the frames it discards.
 */

interface Held {
  /** The byte held at each offset. */
  byte: (number | undefined)[];
  /** Segments the reassembler keeps for this datagram. */
  segments: number;
  frames: number[];
  total?: number;
  protocol: number;
  dead?: string;
}

function fresh(protocol: number): Held {
  return { byte: [], segments: 0, frames: [], protocol };
}

function heldCount(h: Held): number {
  return h.byte.reduce<number>((n, b) => (b === undefined ? n : n + 1), 0);
}

/** One past the highest offset held (0 when nothing is). */
function heldEnd(h: Held): number {
  for (let k = h.byte.length - 1; k >= 0; k--) if (h.byte[k] !== undefined) return k + 1;
  return 0;
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
    const result = reassembler.push(piece);

    let h = model.get(key);
    if (h?.dead !== undefined && start === 0) h = undefined;
    if (!h) {
      h = fresh(protocol);
      model.set(key, h);
    }
    const where = () => `frame ${frame}: ${key} [${start}, ${end})${more ? ' more' : ' last'}`;
    if (h.dead !== undefined) {
      check(
        result.status === 'dropped' && result.reason === h.dead,
        () => `${where()}: datagram was dropped, got ${result.status}`,
      );
      check(
        JSON.stringify(result.frames) === JSON.stringify([frame]),
        () => `${where()}: a late piece's drop names frames ${result.frames}`,
      );
      continue;
    }
    const total = more ? h.total : end;
    const reasons = new Set<string>();
    if (end > maxDatagramBytes) reasons.add('too-large');
    if (!more && h.total !== undefined && h.total !== end) reasons.add('inconsistent-length');
    if (total !== undefined && end > total) reasons.add('inconsistent-length');
    // An end announced below bytes already held is the same inconsistency, seen from the other side.
    if (total !== undefined && heldEnd(h) > total) reasons.add('inconsistent-length');
    let runs = 0;
    for (let k = start; k < end; k++) {
      const held = h.byte[k];
      if (held === undefined) {
        if (k === start || h.byte[k - 1] !== undefined) runs++;
      } else if (held !== payload[k - start]) reasons.add('overlap-conflict');
    }
    if (runs > 0 && h.segments + runs > maxFragments) reasons.add('too-many-fragments');

    if (result.status === 'dropped') {
      check(
        reasons.has(result.reason),
        () => `${where()}: dropped as ${result.reason}; the model allows ${[...reasons].join(', ') || 'nothing'}`,
      );
      check(
        JSON.stringify(result.frames) === JSON.stringify([...h.frames, frame]),
        () => `${where()}: the drop names frames ${result.frames}, model ${[...h.frames, frame]}`,
      );
      model.set(key, { ...fresh(h.protocol), dead: result.reason });
      continue;
    }
    check(reasons.size === 0, () => `${where()}: accepted though ${[...reasons].join(', ')}`);
    h.frames.push(frame);
    if (total !== undefined) h.total = total;
    if (start === 0) h.protocol = protocol;
    for (let k = start; k < end; k++) h.byte[k] ??= payload[k - start];
    h.segments += runs;

    const done = h.total;
    let complete = done !== undefined;
    for (let k = 0; complete && done !== undefined && k < done; k++) complete = h.byte[k] !== undefined;
    check(
      complete === (result.status === 'complete'),
      () => `${where()}: ${result.status}, the model says ${complete ? 'complete' : 'held'}`,
    );
    if (result.status === 'complete') {
      const expected = Uint8Array.from(h.byte.slice(0, done), (b) => b ?? 0);
      check(equalBytes(result.payload, expected), () => `${where()}: reassembled bytes differ from the bytes held`);
      check(result.protocol === h.protocol, () => `${where()}: protocol ${result.protocol}, model ${h.protocol}`);
      check(
        JSON.stringify(result.frames) === JSON.stringify(h.frames),
        () => `${where()}: frames ${result.frames}, model ${h.frames}`,
      );
      model.delete(key);
    }
    const held = [...model.values()].reduce((n, m) => n + heldCount(m), 0);
    check(
      reassembler.bufferedBytes === held,
      () => `${where()}: bufferedBytes ${reassembler.bufferedBytes}, model ${held}`,
    );
  }
  reassembler.flush();
  check(reassembler.pending === 0 && reassembler.bufferedBytes === 0, 'flush left datagrams or bytes behind');
}
