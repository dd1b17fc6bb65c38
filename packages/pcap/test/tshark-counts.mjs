// What tshark says about a capture, reduced to the counts and frame lists our reader must match. Shared by the golden
// script (make-tshark-goldens.mjs) and the live differential test.
import { execFileSync } from 'node:child_process';

/** True when a tshark binary is on PATH. */
export function haveTshark() {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The tshark version line, e.g. "4.0.17". */
export function tsharkVersion() {
  const out = execFileSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return /TShark \(Wireshark\) (\S+)/.exec(out)?.[1] ?? 'unknown';
}

/**
 * Runs tshark once over `path` (default preferences: IPv4/IPv6 reassembly on) and classifies every frame the way our
 * reader does: ISAKMP outside ICMP is an IKE datagram; ISAKMP inside ICMP is a quoted copy; udpencap tells NAT-keepalives,
 * non-ESP markers and ESP apart.
 *
 * The oracle is `frame.protocols`, not the `-Y isakmp` display filter, on purpose: a datagram cut by the snapshot length
 * inside its ISAKMP header still lists `isakmp` there (Wireshark starts the dissector and flags the cut), and our reader
 * hands such a datagram on too, as `ike` with `truncated: true`. A payload shorter than an ISAKMP header on the wire is
 * not dissected as ISAKMP by tshark and is `short-ike` for us, so both sides leave it out.
 */
export function tsharkCounts(path) {
  const out = execFileSync(
    'tshark',
    [
      '-r',
      path,
      '-T',
      'fields',
      '-E',
      'separator=|',
      '-e',
      'frame.number',
      '-e',
      'frame.protocols',
      '-e',
      'udpencap.nat_keepalive',
      '-e',
      'udpencap.non_esp_marker',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 },
  );
  const counts = {
    frames: 0,
    ikeFrames: [],
    nonEspMarkerFrames: [],
    natKeepaliveFrames: [],
    espInUdpFrames: [],
    icmpQuotedIkeFrames: [],
  };
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [num, protocols = '', keepalive, marker] = line.split('|');
    const frame = Number(num);
    const layers = protocols.split(':');
    const inIcmp = layers.includes('icmp') || layers.includes('icmpv6');
    counts.frames += 1;
    if (layers.includes('isakmp')) (inIcmp ? counts.icmpQuotedIkeFrames : counts.ikeFrames).push(frame);
    if (inIcmp) continue;
    // ISAKMP behind a non-ESP marker (a bare marker with nothing after it is not IKE).
    if (marker && layers.includes('isakmp')) counts.nonEspMarkerFrames.push(frame);
    if (keepalive) counts.natKeepaliveFrames.push(frame);
    if (protocols.includes('udpencap:esp')) counts.espInUdpFrames.push(frame);
  }
  return counts;
}
