/**
 * Reader throughput against a plain byte scan of the same capture, in one run: vitest prints how many times slower the
 * full pipeline (records → link → IP with reassembly → UDP → IKE items) is than touching every byte once.
 */
import { bench, describe } from 'vitest';
import { readCapture, readCaptureBytes, type TimedDatagram, writeUdpCapture } from '../src/index';

function capture(): Uint8Array {
  const datagrams: TimedDatagram[] = [];
  for (let i = 0; i < 4000; i++) {
    const time = { seconds: 1_700_000_000 + Math.floor(i / 10), nanoseconds: (i % 10) * 1000 };
    const v6 = i % 5 === 0;
    const [src, dst] = v6 ? ['2001:db8::1', '2001:db8::2'] : ['192.0.2.1', '192.0.2.2'];
    const kind = i % 4;
    const size = i % 20 === 0 ? 3000 : 300; // every twentieth message fragments (certificates)
    datagrams.push({
      time,
      src,
      dst,
      srcPort: kind === 0 ? 500 : 4500,
      dstPort: kind === 0 ? 500 : 4500,
      payload:
        kind === 3 ? Uint8Array.of(0x11, 0x22, 0x33, 0x44, ...new Array(120).fill(0)) : new Uint8Array(size).fill(i),
      nonEspMarker: kind === 1 || kind === 2,
      id: i & 0xffff,
      mtu: 1400,
    });
  }
  return writeUdpCapture(datagrams, { format: 'pcapng', interfaces: [{ linkType: 1 }] });
}

const bytes = capture();
const chunks: Uint8Array[] = [];
for (let at = 0; at < bytes.length; at += 64 * 1024) chunks.push(bytes.subarray(at, at + 64 * 1024));

describe(`read a ${(bytes.length / 1e6).toFixed(1)} MB pcapng`, () => {
  bench(
    'baseline: plain byte scan',
    () => {
      let sum = 0;
      for (let i = 0; i < bytes.length; i++) sum = (sum + bytes[i]!) | 0;
      if (sum === 0.5) throw new Error('unreachable');
    },
    { time: 1500 },
  );

  bench(
    'readCaptureBytes (sync, one buffer)',
    () => {
      let n = 0;
      for (const item of readCaptureBytes(bytes)) if (item.kind === 'ike') n++;
      if (n === 0) throw new Error('no IKE datagrams');
    },
    { time: 1500 },
  );

  bench(
    'readCapture (async, 64 KiB chunks)',
    async () => {
      let n = 0;
      for await (const item of readCapture(chunks)) if (item.kind === 'ike') n++;
      if (n === 0) throw new Error('no IKE datagrams');
    },
    { time: 1500 },
  );
});
