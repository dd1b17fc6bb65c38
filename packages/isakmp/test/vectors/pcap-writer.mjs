/**
 * A tiny classic-pcap writer for golden generation: each ISAKMP message becomes one raw-IPv4 (linktype 101)
 * UDP datagram 192.0.2.1:500 -> 192.0.2.2:500 (or 4500 with the non-ESP marker). Test-only; Node APIs are fine here.
 */

/** pcap bytes holding one UDP datagram per message. */
export function pcapOf(messages, { port = 500 } = {}) {
  const records = messages.map((m) => {
    const payload = port === 4500 ? concat([new Uint8Array(4), m]) : m;
    const udp = new Uint8Array(8 + payload.length);
    const u = new DataView(udp.buffer);
    u.setUint16(0, port);
    u.setUint16(2, port);
    u.setUint16(4, udp.length);
    udp.set(payload, 8);
    const ip = new Uint8Array(20 + udp.length);
    const v = new DataView(ip.buffer);
    v.setUint8(0, 0x45);
    v.setUint16(2, ip.length);
    v.setUint8(8, 64);
    v.setUint8(9, 17);
    ip.set([192, 0, 2, 1], 12);
    ip.set([192, 0, 2, 2], 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += v.getUint16(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    v.setUint16(10, ~sum & 0xffff);
    ip.set(udp, 20);
    const rec = new Uint8Array(16 + ip.length);
    const r = new DataView(rec.buffer);
    r.setUint32(8, ip.length, true);
    r.setUint32(12, ip.length, true);
    rec.set(ip, 16);
    return rec;
  });
  const head = new Uint8Array(24);
  const h = new DataView(head.buffer);
  h.setUint32(0, 0xa1b2c3d4, true);
  h.setUint16(4, 2, true);
  h.setUint16(6, 4, true);
  h.setUint32(16, 65535, true);
  h.setUint32(20, 101, true);
  return concat([head, ...records]);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
