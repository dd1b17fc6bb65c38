import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { recognizeVendorId, vendorIds } from '../src/vendor-ids';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const md5 = (s: string): Uint8Array => new Uint8Array(createHash('md5').update(s, 'latin1').digest());
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** Pluto's FreeS/WAN-style Vendor ID: "OE" then ten MD5 bytes forced into 0x40..0x7f. */
function fswan(s: string): Uint8Array {
  const h = md5(s);
  const out = new Uint8Array(12);
  out[0] = 0x4f;
  out[1] = 0x45;
  for (let i = 2; i < 12; i++) out[i] = ((h[i - 2] ?? 0) & 0x7f) | 0x40;
  return out;
}

describe('the table', () => {
  it('is larger than the union the brief asks for', () => {
    expect(vendorIds.length).toBeGreaterThanOrEqual(195);
  });

  it.each(vendorIds.filter((e) => e.md5 !== undefined).map((e) => [e.name, e] as const))(
    'MD5 source of %s hashes to its bytes',
    (_name, entry) => {
      const digest = md5(entry.md5 ?? '');
      const own = bytes(entry.hex);
      const shared = Math.min(digest.length, own.length);
      expect(shared).toBeGreaterThanOrEqual(8);
      expect(hex(own.slice(0, shared))).toBe(hex(digest.slice(0, shared)));
    },
  );

  it.each(vendorIds.filter((e) => e.ascii !== undefined).map((e) => [e.name, e] as const))(
    'ASCII source of %s spells its bytes',
    (_name, entry) => {
      expect(entry.hex).toBe(hex(ascii(entry.ascii ?? '')));
    },
  );

  it.each(vendorIds.filter((e) => e.fswan !== undefined).map((e) => [e.name, e] as const))(
    'FreeS/WAN source of %s hashes to its bytes',
    (_name, entry) => {
      expect(entry.hex).toBe(hex(fswan(entry.fswan ?? '')));
    },
  );

  it('writes every entry as lowercase hex with a name and a reference', () => {
    for (const entry of vendorIds) {
      expect(entry.hex).toMatch(/^(?:[0-9a-f]{2})+$/);
      expect(entry.name.length).toBeGreaterThan(0);
      expect(entry.ref.length).toBeGreaterThan(0);
      if (entry.decode !== undefined) expect(entry.match).toBe('prefix');
    }
  });

  it('has no duplicate byte strings', () => {
    const seen = new Map<string, string>();
    for (const entry of vendorIds) {
      expect(seen.get(entry.hex), `${entry.name} repeats ${seen.get(entry.hex)}`).toBeUndefined();
      seen.set(entry.hex, entry.name);
    }
  });

  it.each(vendorIds.map((e) => [e.name, e] as const))('recognises %s from its own bytes', (_name, entry) => {
    const match = recognizeVendorId(bytes(entry.hex));
    expect(match?.entry).toBe(entry);
    expect(match?.trailing).toHaveLength(0);
  });
});

describe('real Vendor IDs', () => {
  it.each([
    // strongSwan 5.9.8 (IKEv1 main and aggressive mode)
    ['09002689dfd6b712', 'XAUTH'],
    ['afcad71368a1f1c96b8696fc77570100', 'Dead Peer Detection (RFC 3706)'],
    ['4a131c81070358455c5728f20e95452f', 'RFC 3947 NAT-T'],
    ['4048b7d56ebce88525e7de7f00d6c2d3', 'IKE Fragmentation (Cisco)'],
    ['90cb80913ebb696e086381b5ec427b1f', 'draft-ietf-ipsec-nat-t-ike-02\\n'],
    ['cd60464335df21f87cfdb2fc68b6a448', 'draft-ietf-ipsec-nat-t-ike-02'],
    ['7d9419a65310ca6f2c179d9215529d56', 'draft-ietf-ipsec-nat-t-ike-03'],
    ['882fe56d6fd20dbc2251613b2ebe5beb', 'strongSwan'],
    ['12f5f28c457168a9702d9fe274cc0100', 'Cisco Unity'],
    // libreswan 4.10: "OE-Libreswan-" plus its version, and the opportunistic IPsec marker
    ['4f452d4c696272657377616e2d342e3130', 'Libreswan 3.6+'],
    ['4f70706f7274756e6973746963204950736563', 'Opportunistic IPsec (Libreswan)'],
    // Windows, Cisco ASA/IOS, Check Point and others seen on the wire
    ['1e2b516905991c7d7c96fcbfb587e46100000009', 'MS NT5 ISAKMPOAKLEY'],
    ['4048b7d56ebce88525e7de7f00d6c2d380000000', 'IKE Fragmentation (Cisco)'],
    ['1f07f70eaa6514d3b0fa96542a500407', 'Cisco VPN 3000 Series'],
    ['1f07f70eaa6514d3b0fa96542a500100', 'Cisco VPN Concentrator'],
    ['3e984048101e66cc659fd002b0ed3655', 'Cisco IOS'],
    ['7003cbc1097dbe9c2600ba6983bc8b35', 'KAME/racoon'],
    ['4865617274426561745f4e6f74696679386b0100', 'Heartbeat Notify'],
    ['699369228741c6d4ca094c93e242c9de19e7b7c60000000500000500', 'NetScreen-06'],
    ['166f932d55eb64d8e4df4fd37e2313f0d0fd8451000000000000', 'NetScreen-15'],
    ['424e455300000009', 'Nortel Contivity'],
  ])('%s is %s', (vid, name) => {
    expect(recognizeVendorId(bytes(vid))?.name).toBe(name);
  });

  it('leaves unknown Vendor IDs unrecognised', () => {
    for (const s of ['not a vendor id', 'strongSwan 5.9.8', 'Libreswan'])
      expect(recognizeVendorId(md5(s)), s).toBeUndefined();
    expect(recognizeVendorId(new Uint8Array(0))).toBeUndefined();
    expect(recognizeVendorId(bytes('00000000000000000000000000000000'))).toBeUndefined();
  });

  it('does not take a truncated exact Vendor ID for the full one', () => {
    expect(recognizeVendorId(bytes('afcad71368a1f1c96b8696fc775701'))).toBeUndefined();
    expect(recognizeVendorId(bytes('afcad71368a1f1c96b8696fc7757010000'))).toBeUndefined();
  });
});

describe('prefix entries', () => {
  it('reads the Cisco Unity version after the truncated MD5 of "CISCO-UNITY"', () => {
    const match = recognizeVendorId(concat(md5('CISCO-UNITY').slice(0, 14), Uint8Array.of(1, 0)));
    expect(match?.details).toEqual({ kind: 'cisco-unity', major: 1, minor: 0 });
    expect(match?.description).toBe('Cisco Unity 1.0');
  });

  it('reads the Windows version after "MS NT5 ISAKMPOAKLEY"', () => {
    const vista = recognizeVendorId(concat(md5('MS NT5 ISAKMPOAKLEY'), Uint8Array.of(0, 0, 0, 5)));
    expect(vista?.details).toEqual({ kind: 'windows', version: 5, product: 'Windows Vista' });
    const future = recognizeVendorId(concat(md5('MS NT5 ISAKMPOAKLEY'), Uint8Array.of(0, 0, 1, 0)));
    expect(future?.details).toEqual({ kind: 'windows', version: 256 });
  });

  it('reads Check Point product, version, timestamp and features', () => {
    const fields = Uint8Array.of(0, 0, 0, 2, 0, 0, 0x13, 0x8c, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x80, 0x00);
    const match = recognizeVendorId(concat(bytes('f4ed19e0c114eb516faaac0ee37daf2807b4381f'), fields));
    expect(match?.details).toEqual({
      kind: 'checkpoint',
      product: 2,
      productName: 'SecuRemote/SecureClient',
      version: 5004,
      versionName: 'NG with Application Intelligence',
      timestamp: 0x3f000000,
      reserved: 0,
      features: 0x18000,
    });
  });

  it('reads the Cisco fragmentation capability flags', () => {
    const match = recognizeVendorId(concat(md5('FRAGMENTATION'), Uint8Array.of(0xc0, 0, 0, 0)));
    expect(match?.details).toEqual({ kind: 'cisco-fragmentation', flags: 0xc0000000 });
  });

  it('reads version text after strongSwan, Libreswan and Timestep prefixes', () => {
    expect(recognizeVendorId(concat(md5('strongSwan'), ascii('5.9.8')))?.description).toBe('strongSwan 5.9.8');
    expect(recognizeVendorId(ascii('OE-Libreswan-4.10'))?.details).toEqual({ kind: 'text', text: '4.10' });
    expect(recognizeVendorId(ascii('TIMESTEP 1 SGW 1520 315 2.01E013'))?.details).toEqual({
      kind: 'text',
      text: ' 1 SGW 1520 315 2.01E013',
    });
  });

  it('reads the SafeNet SoftRemote version text', () => {
    const vid = '47bbe7c993f1fc13b4e6d0db565c68e5010201010201010310382e302e3020284275696c6420313029000000';
    const match = recognizeVendorId(bytes(vid));
    expect(match?.details).toEqual({ kind: 'text', text: '8.0.0 (Build 10)' });
    expect(match?.description).toBe('SafeNet SoftRemote 8.0.0 (Build 10)');
    expect(recognizeVendorId(bytes(vid.slice(0, 60)))?.details).toBeUndefined();
  });

  it('keeps undecodable trailing bytes without details', () => {
    const match = recognizeVendorId(concat(md5('strongSwan'), Uint8Array.of(0, 1)));
    expect(match?.name).toBe('strongSwan');
    expect(match?.details).toBeUndefined();
    expect(hex(match?.trailing ?? new Uint8Array())).toBe('0001');
  });

  it('prefers a longer exact entry over a shorter prefix', () => {
    expect(recognizeVendorId(fswan('Openswan 2.2.0'))?.name).toBe('Openswan 2.2.0');
    expect(recognizeVendorId(ascii('OEsomething'))?.name).toBe('Openswan (project)');
    expect(recognizeVendorId(ascii('OENxyz'))?.name).toBe('Libreswan 3.0 - 3.5');
  });

  test.prop([fc.constantFrom(...vendorIds.filter((e) => e.match === 'prefix')), fc.uint8Array({ maxLength: 40 })])(
    'matches a prefix entry followed by anything with an entry at least as long',
    (entry, tail) => {
      const input = concat(bytes(entry.hex), tail);
      const match = recognizeVendorId(input);
      expect(match).toBeDefined();
      const own = bytes(match?.entry.hex ?? '');
      expect(own.length).toBeGreaterThanOrEqual(entry.hex.length / 2);
      expect(hex(input.slice(0, own.length))).toBe(hex(own));
      expect(hex(match?.trailing ?? new Uint8Array())).toBe(hex(input.slice(own.length)));
    },
  );

  test.prop([fc.uint8Array({ maxLength: 64 })])('never throws and only returns entries that match', (input) => {
    const match = recognizeVendorId(input);
    if (match === undefined) return;
    const own = bytes(match.entry.hex);
    expect(hex(input.slice(0, own.length))).toBe(hex(own));
    if (match.entry.match === 'exact') expect(input.length).toBe(own.length);
  });
});

/** The simple reading the indexed one must agree with: every entry of the table, in order, the longest match kept. */
function scanTable(input: Uint8Array) {
  let best: (typeof vendorIds)[number] | undefined;
  for (const entry of vendorIds) {
    const own = bytes(entry.hex);
    const fits =
      entry.match === 'exact'
        ? hex(input) === entry.hex
        : input.length >= own.length && hex(input.slice(0, own.length)) === entry.hex;
    if (fits && (best === undefined || own.length > best.hex.length / 2)) best = entry;
  }
  return best;
}

describe('the index by first byte', () => {
  /** Bodies near the table: an entry's bytes cut or extended, with a byte changed, or random bytes. */
  const body = fc.oneof(
    fc
      .tuple(fc.constantFrom(...vendorIds), fc.nat({ max: 40 }), fc.uint8Array({ maxLength: 24 }))
      .map(([entry, cut, tail]) => concat(bytes(entry.hex).slice(0, cut), tail)),
    fc.constantFrom(...vendorIds).map((entry) => bytes(entry.hex)),
    fc.tuple(fc.constantFrom(...vendorIds), fc.nat(), fc.integer({ min: 1, max: 255 })).map(([entry, at, change]) => {
      const b = bytes(entry.hex);
      if (b.length > 0) b[at % b.length] = ((b[at % b.length] as number) + change) & 0xff;
      return b;
    }),
    fc.uint8Array({ maxLength: 40 }),
  );
  test.prop([body], { numRuns: 500 })('finds the entry a scan of the whole table finds', (input) => {
    expect(recognizeVendorId(input)?.entry).toBe(scanTable(input));
  });
});

describe('committed fixture lists of other projects’ tables', () => {
  const fixture = (file: string) =>
    readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const [value = '', ...name] = line.split(' ');
        return [name.join(' '), value] as const;
      });

  it.each([
    ['wireshark-vids.txt', 100],
    ['libreswan-vids.txt', 140],
  ] as const)('%s has its header and at least %i values', (file, least) => {
    const text = readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8');
    expect(text.startsWith('# ')).toBe(true);
    expect(text).toMatch(/commit\s+(?:#\s*)?[0-9a-f]{40}, read \d{4}-\d{2}-\d{2}/);
    expect(fixture(file).length).toBeGreaterThanOrEqual(least);
  });

  it.each([...fixture('wireshark-vids.txt'), ...fixture('libreswan-vids.txt')])('recognises %s', (_name, value) => {
    expect(value).toMatch(/^(?:[0-9a-f]{2})+$/);
    expect(recognizeVendorId(bytes(value))).toBeDefined();
  });
});
