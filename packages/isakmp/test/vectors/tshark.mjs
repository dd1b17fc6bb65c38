/**
 * Runs tshark over ISAKMP messages and returns its decoding trimmed to the isakmp layer, one entry per message.
 * Shared by make-goldens.mjs (which writes the committed goldens) and the live differential test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinkType, writeUdpCapture } from '@oaklog/pcap';

/** True when a tshark binary answers on PATH. */
export function hasTshark() {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** tshark's isakmp layer for each message (each sent as its own UDP/500 datagram in one capture). */
export function tsharkLayers(messages) {
  return JSON.parse(run(messages, ['-T', 'json', '--no-duplicate-keys'])).map(
    (frame) => frame._source.layers.isakmp ?? null,
  );
}

const unxml = (s) =>
  s
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * The names tshark shows (`-T pdml` shownames) for each message: the exchange type, and the notify message type of
 * each top-level Notify payload, in order. `-T json` has only the numbers.
 */
export function tsharkNames(messages) {
  const pdml = run(messages, ['-T', 'pdml']);
  return pdml
    .split('<packet>')
    .slice(1)
    .map((packet) => ({
      exchange: unxml(/name="isakmp\.exchangetype" showname="Exchange type: (.*?) \(\d+\)"/.exec(packet)?.[1] ?? ''),
      notifies: [...packet.matchAll(/showname="Payload: Notify \(41\) - (.*?)"/g)].map((m) => unxml(m[1])),
    }));
}

/** tshark's output (with `args`) over one capture holding each message as its own UDP/500 datagram. */
function run(messages, args) {
  const dir = mkdtempSync(join(tmpdir(), 'isakmp-goldens-'));
  try {
    const file = join(dir, 'vectors.pcap');
    const datagrams = messages.map((payload, i) => ({
      src: '192.0.2.1',
      dst: '192.0.2.2',
      srcPort: 500,
      dstPort: 500,
      payload,
      time: { seconds: i, nanoseconds: 0 },
    }));
    writeFileSync(file, writeUdpCapture(datagrams, { linkType: LinkType.RAW }));
    return execFileSync('tshark', ['-r', file, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, WIRESHARK_CONFIG_DIR: dir },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
