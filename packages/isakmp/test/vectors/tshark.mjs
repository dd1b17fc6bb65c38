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
    const out = execFileSync('tshark', ['-r', file, '-T', 'json', '--no-duplicate-keys'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, WIRESHARK_CONFIG_DIR: dir },
    });
    return JSON.parse(out).map((frame) => frame._source.layers.isakmp ?? null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
