/**
 * Link layers down to the IP header. Each decoder is one table entry keyed by LINKTYPE_* (tcpdump.org/linktypes.html).
 */
import { be16, u32 } from './bytes';

/** LINKTYPE_* values this package decodes and writes. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
/** A LINKTYPE_* value this package decodes. */
export type LinkType = (typeof LinkType)[keyof typeof LinkType];

/** Where the link layer says the IP packet starts, or why there is none. */
export type LinkResult =
  | { readonly kind: 'ip'; readonly offset: number; readonly version: 4 | 6 | undefined }
  | {
      readonly kind: 'skipped';
      readonly reason: 'non-ip' | 'unsupported-link-type';
      readonly offset: number;
      readonly detail: string;
    }
  | { readonly kind: 'malformed'; readonly reason: 'truncated'; readonly offset: number; readonly detail: string };

type LinkDecoder = (data: Uint8Array) => LinkResult;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad (QinQ) and the two pre-standard QinQ tags: each adds 4 bytes before the real EtherType. */
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100, 0x9200]);
const ETHERTYPE_VERSION: Readonly<Record<number, 4 | 6>> = { [ETHERTYPE_IPV4]: 4, [ETHERTYPE_IPV6]: 6 };

/** A header cut short: the offset is where the frame ends, the first byte that is missing. */
function truncated(data: Uint8Array, what: string): LinkResult {
  return { kind: 'malformed', reason: 'truncated', offset: data.length, detail: `frame ends inside the ${what}` };
}

/** Follows VLAN tags from the EtherType at `at` to the network header. */
function fromEthertype(data: Uint8Array, at: number, what: string): LinkResult {
  for (;;) {
    if (data.length < at + 2) return truncated(data, what);
    const type = be16(data, at);
    if (!VLAN_TAGS.has(type)) {
      const version = ETHERTYPE_VERSION[type];
      if (version) return { kind: 'ip', offset: at + 2, version };
      return {
        kind: 'skipped',
        reason: 'non-ip',
        offset: at,
        detail: `EtherType 0x${type.toString(16).padStart(4, '0')}`,
      };
    }
    at += 4;
    what = 'VLAN tag';
  }
}

/*  Ethernet II: | destination (6) | source (6) | [802.1Q/802.1ad tag (4)]... | EtherType (2) | */
const ethernet: LinkDecoder = (d) => fromEthertype(d, 12, 'Ethernet header');

/*  Linux cooked v1 (SLL), 16 bytes:
 *  | packet type (2) | ARPHRD type (2) | address length (2) | address (8) | protocol (2) |  */
const linuxSll: LinkDecoder = (d) => (d.length < 16 ? truncated(d, 'SLL header') : fromEthertype(d, 14, 'SLL header'));

/*  Linux cooked v2 (SLL2), 20 bytes:
 *  | protocol (2) | reserved (2) | interface index (4) | ARPHRD (2) | packet type (1) | addr len (1) | address (8) |  */
const linuxSll2: LinkDecoder = (d) => {
  if (d.length < 20) return truncated(d, 'SLL2 header');
  const protocol = be16(d, 0);
  if (VLAN_TAGS.has(protocol)) {
    // The tag follows the 20-byte header: | TCI (2) | EtherType (2) |, so the next EtherType is at 22.
    return fromEthertype(d, 22, 'VLAN tag');
  }
  const r = fromEthertype(d, 0, 'SLL2 header');
  return r.kind === 'ip' ? { ...r, offset: 20 } : r;
};

/*  Raw IP: the version nibble says which. */
const rawIp: LinkDecoder = () => ({ kind: 'ip', offset: 0, version: undefined });
const rawIpv4: LinkDecoder = () => ({ kind: 'ip', offset: 0, version: 4 });
const rawIpv6: LinkDecoder = () => ({ kind: 'ip', offset: 0, version: 6 });

/** BSD address families: AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS), 10 (Linux). */
const AF_VERSION: Readonly<Record<number, 4 | 6>> = { 2: 4, 10: 6, 24: 6, 28: 6, 30: 6 };

function fromFamily(family: number): LinkResult {
  const version = AF_VERSION[family];
  return version
    ? { kind: 'ip', offset: 4, version }
    : { kind: 'skipped', reason: 'non-ip', offset: 0, detail: `address family ${family}` };
}

/*  BSD loopback (NULL): | address family, 4 bytes in the capturing host's byte order | — guess the order from the value. */
const bsdNull: LinkDecoder = (d) => {
  if (d.length < 4) return truncated(d, 'loopback header');
  const le = u32(d, 0, true);
  return fromFamily(le > 0xffff ? u32(d, 0, false) : le);
};

/*  OpenBSD loopback (LOOP): | address family, 4 bytes big-endian | */
const bsdLoop: LinkDecoder = (d) => (d.length < 4 ? truncated(d, 'loopback header') : fromFamily(u32(d, 0, false)));

const linkDecoders: Readonly<Record<number, LinkDecoder>> = {
  [LinkType.NULL]: bsdNull,
  [LinkType.ETHERNET]: ethernet,
  12: rawIp, // DLT_RAW on most BSDs and Linux before LINKTYPE_RAW existed
  14: rawIp, // DLT_RAW on OpenBSD
  [LinkType.RAW]: rawIp,
  [LinkType.LOOP]: bsdLoop,
  [LinkType.LINUX_SLL]: linuxSll,
  [LinkType.IPV4]: rawIpv4,
  [LinkType.IPV6]: rawIpv6,
  [LinkType.LINUX_SLL2]: linuxSll2,
};

/** Finds the IP header inside a frame of the given link type. Offsets are relative to `data`. */
export function decodeLinkLayer(linkType: number, data: Uint8Array): LinkResult {
  const decoder = linkDecoders[linkType];
  if (!decoder) {
    return { kind: 'skipped', reason: 'unsupported-link-type', offset: 0, detail: `link type ${linkType}` };
  }
  return decoder(data);
}
