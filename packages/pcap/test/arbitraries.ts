/** fast-check arbitraries shared by the property tests. */
import fc from 'fast-check';
import type { CaptureTime, TimedDatagram, WritePacket } from '../src/index';

/** A capture time with nanosecond precision (seconds within 32 bits, as classic pcap stores them). */
export const captureTime: fc.Arbitrary<CaptureTime> = fc.record({
  seconds: fc.integer({ min: 0, max: 0xffffffff }),
  nanoseconds: fc.integer({ min: 0, max: 999_999_999 }),
});

/** A packet for the container writers: arbitrary bytes, original length at least the captured length. */
export const writePacket: fc.Arbitrary<WritePacket> = fc
  .record({ time: captureTime, data: fc.uint8Array({ maxLength: 300 }), extra: fc.nat({ max: 2000 }) })
  .map(({ time, data, extra }) => ({ time, data, originalLength: data.length + extra }));

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
const ipv6 = fc
  .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
  .map((g) => g.map((x) => x.toString(16)).join(':'));

/** An IKE datagram on port 500 or on 4500 behind a non-ESP marker, optionally fragmented, IPv4 or IPv6. */
export const ikeDatagram: fc.Arbitrary<TimedDatagram> = fc
  .record({
    v6: fc.boolean(),
    a: fc.tuple(ipv4, ipv4),
    b: fc.tuple(ipv6, ipv6),
    natT: fc.boolean(),
    payload: fc.uint8Array({ minLength: 28, maxLength: 4000 }), // at least an ISAKMP header
    time: captureTime,
    mtu: fc.option(fc.integer({ min: 1280, max: 1500 }), { nil: undefined }),
    id: fc.integer({ min: 1, max: 0xffff }),
  })
  .map(({ v6, a, b, natT, payload, time, mtu, id }) => {
    const [src, dst] = v6 ? b : a;
    const port = natT ? 4500 : 500;
    return {
      time,
      src,
      dst,
      srcPort: port,
      dstPort: port,
      payload,
      nonEspMarker: natT,
      id,
      ...(mtu === undefined ? {} : { mtu }),
    };
  });
