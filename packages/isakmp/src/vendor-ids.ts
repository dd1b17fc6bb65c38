/**
 * Vendor ID recognition (RFC 2408 3.16). A Vendor ID payload is opaque; in practice it is an MD5 of a product string, an
 * ASCII string, or a fixed prefix followed by version bytes. Known values come from one table with provenance, so every
 * entry can be checked against its source; nothing is hashed at runtime.
 */
import { equalBytes, fromHex } from '@oaklog/common';

/** How a table entry is compared with a received Vendor ID: the whole payload, or its leading bytes. */
export type VendorIdMatchKind = 'exact' | 'prefix';

/** Names the reader for the bytes that follow a prefix entry. */
export type VendorIdDecoder =
  | 'cisco-unity'
  | 'cisco-fragmentation'
  | 'ms-nt5'
  | 'ms-key-mods'
  | 'ms-authip-ke'
  | 'checkpoint'
  | 'elvis'
  | 'safenet'
  | 'text';

/** One known Vendor ID: its bytes, a human name, how it matches and where it comes from. */
export interface VendorIdEntry {
  /** The Vendor ID bytes (or the prefix, for `match: 'prefix'`) as lowercase hex. */
  readonly hex: string;
  /** Human-readable product or feature name. */
  readonly name: string;
  /** Whether the payload must equal `hex` or only start with it. */
  readonly match: VendorIdMatchKind;
  /** The string whose MD5 gives the bytes; when the entry is shorter than 16 bytes it is a truncated hash, when longer the hash comes first. */
  readonly md5?: string;
  /** The bytes are this ASCII text. */
  readonly ascii?: string;
  /** The bytes are FreeS/WAN's "OE" + masked MD5 of this string (Pluto's `VID_FSWAN_HASH`). */
  readonly fswan?: string;
  /** Where the value was taken from (Wireshark packet-isakmp.c, libreswan vendorid.c, an RFC). */
  readonly ref: string;
  /** Reader for the bytes after a prefix match, when their format is known. */
  readonly decode?: VendorIdDecoder;
  /** Extra provenance detail. */
  readonly note?: string;
}

/** What the bytes after a prefix entry say, when the format is known. */
export type VendorIdDetails =
  | { readonly kind: 'cisco-unity'; readonly major: number; readonly minor: number }
  | { readonly kind: 'cisco-fragmentation'; readonly flags: number }
  | { readonly kind: 'windows'; readonly version: number; readonly product?: string }
  | { readonly kind: 'ms-key-mods'; readonly mode: number; readonly modeName?: string }
  | { readonly kind: 'ms-authip-ke'; readonly group: number; readonly groupName?: string }
  | {
      readonly kind: 'checkpoint';
      readonly product: number;
      readonly productName?: string;
      readonly version: number;
      readonly versionName?: string;
      readonly timestamp?: number;
      readonly reserved?: number;
      readonly features?: number;
    }
  | { readonly kind: 'elvis'; readonly major: number; readonly minor: number }
  | { readonly kind: 'text'; readonly text: string };

/** A recognised Vendor ID: the matching entry, the bytes after a prefix, and what they say. */
export interface VendorIdMatch {
  /** The entry's name. */
  readonly name: string;
  /** The name plus any decoded version, e.g. "Cisco Unity 1.0". */
  readonly description: string;
  /** The table entry that matched (the longest one). */
  readonly entry: VendorIdEntry;
  /** Bytes after the entry's bytes (empty for exact matches). */
  readonly trailing: Uint8Array;
  /** Decoded trailing bytes, when the format is known and they are long enough. */
  readonly details?: VendorIdDetails;
}

/** Known Vendor IDs: the union of Wireshark's and libreswan's tables, plus values the RFCs print. */
export const vendorIds: readonly VendorIdEntry[] = [
  {
    hex: 'fbf47614984031fa8e3bb6198089b223',
    name: 'SSH IPSEC Express 1.1.0',
    match: 'exact',
    md5: 'Ssh Communications Security IPSEC Express version 1.1.0',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '1952dc91ac20f646fb01cf42a33aee30',
    name: 'SSH IPSEC Express 1.1.1',
    match: 'exact',
    md5: 'Ssh Communications Security IPSEC Express version 1.1.1',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'e8bffa643e5c8f2cd10fda7370b6ebe5',
    name: 'SSH IPSEC Express 1.1.2',
    match: 'exact',
    md5: 'Ssh Communications Security IPSEC Express version 1.1.2',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'c1111b2dee8cbc3d620573ec57aab9cb',
    name: 'SSH IPSEC Express 1.2.1',
    match: 'exact',
    md5: 'Ssh Communications Security IPSEC Express version 1.2.1',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '09ec27bfbc09c75823cfecbffe565a2e',
    name: 'SSH IPSEC Express 1.2.2',
    match: 'exact',
    md5: 'Ssh Communications Security IPSEC Express version 1.2.2',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '7f21a596e4e318f0b2f4944c2384cb84',
    name: 'SSH IPSEC Express 2.0.0',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 2.0.0',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '2836d1fd2807bc9e5ae30786320451ec',
    name: 'SSH IPSEC Express 2.1.0',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 2.1.0',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'a68de756a9c5229bae66498040951ad5',
    name: 'SSH IPSEC Express 2.1.1',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 2.1.1',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '3f2372867e237c1cd8250a75559cae20',
    name: 'SSH IPSEC Express 2.1.2',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 2.1.2',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '0e58d5774df602007d0b02443660f7eb',
    name: 'SSH IPSEC Express 3.0.0',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 3.0.0',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'f5ce31ebc210f44350cf71265b57380f',
    name: 'SSH IPSEC Express 3.0.1',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 3.0.1',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'f64260af2e2742daddd56987068a99a0',
    name: 'SSH IPSEC Express 4.0.0',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 4.0.0',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '7a54d3bdb3b1e6d923892064be2d981c',
    name: 'SSH IPSEC Express 4.0.1',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 4.0.1',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '9aa1f3b43472a45d5f506aeb260cf214',
    name: 'SSH IPSEC Express 4.1.0',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 4.1.0',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '89f7b760d86b012acf263382394d962f',
    name: 'SSH IPSEC Express 4.1.1',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 4.1.1',
    ref: 'wireshark',
  },
  {
    hex: '6880c7d026099114e486c55430e7abee',
    name: 'SSH IPSEC Express 4.2.0',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 4.2.0',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'b037a21aceccb5570f602546f97bde8c',
    name: 'SSH IPSEC Express 5.0',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 5.0',
    ref: 'wireshark',
  },
  {
    hex: '2b2dad97c4d140930053287f996850b0',
    name: 'SSH IPSEC Express 5.0.0',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 5.0.0',
    ref: 'wireshark',
  },
  {
    hex: '45e17f3abe93944cb202910c59ef806b',
    name: 'SSH IPSEC Express 5.1.0',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 5.1.0',
    ref: 'wireshark',
  },
  {
    hex: '5925859f7377ed7816d2fb81c01fa551',
    name: 'SSH IPSEC Express 5.1.1',
    match: 'exact',
    md5: 'SSH Communications Security IPSEC Express version 5.1.1',
    ref: 'wireshark',
  },
  {
    hex: '054182a07c7ae206f9d2cf9d2432c482',
    name: 'SSH Sentinel',
    match: 'exact',
    md5: 'SSH Sentinel',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'b91623e693ca18a54c6a2778552305e8',
    name: 'SSH Sentinel 1.1',
    match: 'exact',
    md5: 'SSH Sentinel 1.1',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '5430888de01a31a6fa8f60224e449958',
    name: 'SSH Sentinel 1.2',
    match: 'exact',
    md5: 'SSH Sentinel 1.2',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '7ee5cb85f71ce259c94a5c731ee4e752',
    name: 'SSH Sentinel 1.3',
    match: 'exact',
    md5: 'SSH Sentinel 1.3',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '63d9a1a7009491b5a0a6fdeb2a8284f0',
    name: 'SSH Sentinel 1.4',
    match: 'exact',
    md5: 'SSH Sentinel 1.4',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'eb4b0d96276b4e220ad16221a7b2a5e6',
    name: 'SSH Sentinel 1.4.1',
    match: 'exact',
    md5: 'SSH Sentinel 1.4.1',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '37eba0c4136184e7daf8562a77060b4a',
    name: 'SSH QuickSec 0.9.0',
    match: 'exact',
    md5: 'SSH Communications Security QuickSec 0.9.0',
    ref: 'wireshark',
  },
  {
    hex: '5d72925e55948a9661a7fc48fdec7ff9',
    name: 'SSH QuickSec 1.1.0',
    match: 'exact',
    md5: 'SSH Communications Security QuickSec 1.1.0',
    ref: 'wireshark',
  },
  {
    hex: '777fbf4c5af6d1cdd4b895a05bf82594',
    name: 'SSH QuickSec 1.1.1',
    match: 'exact',
    md5: 'SSH Communications Security QuickSec 1.1.1',
    ref: 'wireshark',
  },
  {
    hex: '2cdf08e712ede8a5978761267cd19b91',
    name: 'SSH QuickSec 1.1.2',
    match: 'exact',
    md5: 'SSH Communications Security QuickSec 1.1.2',
    ref: 'wireshark',
  },
  {
    hex: '59e454a8c2cf02a34959121f1890bc87',
    name: 'SSH QuickSec 1.1.3',
    match: 'exact',
    md5: 'SSH Communications Security QuickSec 1.1.3',
    ref: 'wireshark',
  },
  {
    hex: '6a7434c19d7e36348090a02334c9c805',
    name: 'draft-huttunen-ipsec-esp-in-udp-00',
    match: 'exact',
    md5: 'draft-huttunen-ipsec-esp-in-udp-00.txt',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '50760f624c63e5c53eea386c685ca083',
    name: 'draft-huttunen-ipsec-esp-in-udp-01 (ESPThruNAT)',
    match: 'exact',
    md5: 'ESPThruNAT',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '27bab5dc01ea0760ea4e3190ac27c0d0',
    name: 'draft-stenberg-ipsec-nat-traversal-01',
    match: 'exact',
    md5: 'draft-stenberg-ipsec-nat-traversal-01',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '6105c422e76847e43f9684801292aecd',
    name: 'draft-stenberg-ipsec-nat-traversal-02',
    match: 'exact',
    md5: 'draft-stenberg-ipsec-nat-traversal-02',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '4df37928e9fc4fd1b3262170d515c662',
    name: 'draft-ietf-ipsec-nat-t-ike (Mac OS X racoon)',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '4485152d18b6bbcd0be8a8469579ddcc',
    name: 'draft-ietf-ipsec-nat-t-ike-00',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-00',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '16f6ca16e4a4066d83821a0f0aeaa862',
    name: 'draft-ietf-ipsec-nat-t-ike-01',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-01',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'cd60464335df21f87cfdb2fc68b6a448',
    name: 'draft-ietf-ipsec-nat-t-ike-02',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-02',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '90cb80913ebb696e086381b5ec427b1f',
    name: 'draft-ietf-ipsec-nat-t-ike-02\\n',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-02\n',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '7d9419a65310ca6f2c179d9215529d56',
    name: 'draft-ietf-ipsec-nat-t-ike-03',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-03',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '9909b64eed937c6573de52ace952fa6b',
    name: 'draft-ietf-ipsec-nat-t-ike-04',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-04',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '80d0bb3def54565ee84645d4c85ce3ee',
    name: 'draft-ietf-ipsec-nat-t-ike-05',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-05',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '4d1e0e136deafa34c4f3ea9f02ec7285',
    name: 'draft-ietf-ipsec-nat-t-ike-06',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-06',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '439b59f8ba676c4c7737ae22eab8f582',
    name: 'draft-ietf-ipsec-nat-t-ike-07',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-07',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '8f8d83826d246b6fc7a8a6a428c11de8',
    name: 'draft-ietf-ipsec-nat-t-ike-08',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-08',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '42ea5b6f898d9773a575df26e7dd19e1',
    name: 'draft-ietf-ipsec-nat-t-ike-09',
    match: 'exact',
    md5: 'draft-ietf-ipsec-nat-t-ike-09',
    ref: 'wireshark',
  },
  {
    hex: 'c40fee00d5d39ddb1fc762e09b7cfea7',
    name: 'Testing NAT-T RFC',
    match: 'exact',
    md5: 'Testing NAT-T RFC',
    ref: 'wireshark',
  },
  {
    hex: '4a131c81070358455c5728f20e95452f',
    name: 'RFC 3947 NAT-T',
    match: 'exact',
    md5: 'RFC 3947',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '810fa565f8ab14369105d706fbd57279',
    name: 'RFC XXXX (Solaris 10 NAT-T placeholder)',
    match: 'exact',
    md5: 'RFC XXXX',
    ref: 'libreswan (comment)',
  },
  {
    hex: '09002689dfd6b712',
    name: 'XAUTH',
    match: 'exact',
    md5: 'draft-ietf-ipsra-isakmp-xauth-06.txt',
    ref: 'wireshark, libreswan',
    note: 'first 8 bytes of the MD5',
  },
  {
    hex: '09002689dfd6b71280a224dec33b81e5',
    name: 'XAUTH (draft-ietf-ipsra-isakmp-xauth-06, full hash)',
    match: 'exact',
    md5: 'draft-ietf-ipsra-isakmp-xauth-06.txt',
    ref: 'wireshark',
  },
  {
    hex: 'afcad71368a1f1c96b8696fc77570100',
    name: 'Dead Peer Detection (RFC 3706)',
    match: 'exact',
    ref: 'RFC 3706 section 5; wireshark, libreswan',
  },
  { hex: '3b9031dce4fcf88b489a923963dd0c49', name: 'DPDv1_NG (Shrew Soft)', match: 'exact', ref: 'libreswan' },
  { hex: '325df29a2319f2dd', name: 'draft-ietf-ipsec-antireplay-00', match: 'exact', ref: 'wireshark' },
  { hex: '8db7a41811221660', name: 'draft-ietf-ipsec-heartbeats-00', match: 'exact', ref: 'wireshark' },
  {
    hex: 'ba290499c24e84e53a1d83a05e5f00c9',
    name: 'IKE Challenge/Response for Authenticated Cryptographic Keys',
    match: 'exact',
    md5: 'IKE Challenge/Response for Authenticated Cryptographic Keys',
    ref: 'wireshark',
  },
  {
    hex: '0d33611a5d521b5e3c9c03d2fc107e12',
    name: 'IKE Challenge/Response for Authenticated Cryptographic Keys (newline variant)',
    match: 'exact',
    md5: 'IKE Challenge/Response for Authenticated Cryptographic Keys\n',
    ref: 'wireshark',
  },
  {
    hex: 'ad3251042cdc4652c9e0734ce5de4c7d',
    name: 'IKE Challenge/Response for Authenticated Cryptographic Keys (Revised)',
    match: 'exact',
    md5: 'IKE Challenge/Response for Authenticated Cryptographic Keys (Revised)',
    ref: 'wireshark',
  },
  {
    hex: '013f11823f966fa91900f024ba66a86b',
    name: 'IKE Challenge/Response for Authenticated Cryptographic Keys (Revised, variant)',
    match: 'exact',
    ref: 'wireshark',
  },
  {
    hex: '4048b7d56ebce88525e7de7f00d6c2d3',
    name: 'IKE Fragmentation (Cisco)',
    match: 'prefix',
    md5: 'FRAGMENTATION',
    ref: 'wireshark, libreswan',
    decode: 'cisco-fragmentation',
  },
  {
    hex: '26244d38eddb61b3172a36e3d0cfb819',
    name: 'Vid-Initial-Contact (Microsoft)',
    match: 'exact',
    md5: 'Vid-Initial-Contact',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'ad2c0dd0b9c32083ccba25b8861ec455',
    name: 'A GSS-API Authentication Method for IKE',
    match: 'exact',
    md5: 'A GSS-API Authentication Method for IKE',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'b46d8914f3aaa3f2fedeb7c7db2943ca',
    name: 'A GSS-API Authentication Method for IKE (newline variant)',
    match: 'exact',
    md5: 'A GSS-API Authentication Method for IKE\n',
    ref: 'wireshark',
  },
  {
    hex: '621b04bb09882ac1e15935fefa24aeee',
    name: 'GSSAPI',
    match: 'exact',
    md5: 'GSSAPI',
    ref: 'wireshark, libreswan',
  },
  { hex: '4f70656e5047503130313731', name: 'OpenPGP', match: 'exact', ascii: 'OpenPGP10171', ref: 'libreswan' },
  {
    hex: '494b457632',
    name: 'CAN-IKEv2 (obsolete Openswan/Libreswan)',
    match: 'exact',
    ascii: 'IKEv2',
    ref: 'libreswan',
  },
  {
    hex: '4d6163204f53582031302e78',
    name: 'Mac OS X 10.x (as libreswan names it)',
    match: 'prefix',
    ascii: 'Mac OSX 10.x',
    ref: 'libreswan',
    note: "Old pluto's VID_MACOSX table entry is this ASCII text (real Mac OS X peers send draft NAT-T hashes).",
  },
  {
    hex: '4f70706f7274756e6973746963204950736563',
    name: 'Opportunistic IPsec (Libreswan)',
    match: 'exact',
    ascii: 'Opportunistic IPsec',
    ref: 'libreswan',
  },
  {
    hex: '4865617274426561745f4e6f74696679',
    name: 'Heartbeat Notify',
    match: 'prefix',
    ascii: 'HeartBeat_Notify',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '1e2b516905991c7d7c96fcbfb587e461',
    name: 'MS NT5 ISAKMPOAKLEY',
    match: 'prefix',
    md5: 'MS NT5 ISAKMPOAKLEY',
    ref: 'wireshark, libreswan',
    decode: 'ms-nt5',
  },
  {
    hex: '01528bbbc00696121849ab9a1c5b2a51',
    name: 'Windows KEY_MODS',
    match: 'prefix',
    ref: 'libreswan',
    decode: 'ms-key-mods',
  },
  {
    hex: '7bb93867d76c8d80df0f40fae8fc3b19',
    name: 'AuthIP initiator KE',
    match: 'prefix',
    ref: 'libreswan',
    decode: 'ms-authip-ke',
  },
  {
    hex: '72872b95fcda2eb708efe322119b4971',
    name: 'NLB/MSCS fast failover supported (Microsoft)',
    match: 'exact',
    ref: 'libreswan',
  },
  {
    hex: '214ca4faffa7f32d6748e5303395ae83',
    name: 'AuthIP supported (MS-MamieExists)',
    match: 'exact',
    md5: 'MS-MamieExists',
    ref: 'libreswan',
  },
  {
    hex: 'e3a5966a76379fe707228231e5ce8652',
    name: 'IKE CGA version 1 (Microsoft)',
    match: 'exact',
    md5: 'IKE CGA version 1',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'fb1de3cdf341b7ea16b7e5be0855f120',
    name: 'MS-Negotiation Discovery Capable',
    match: 'exact',
    md5: 'MS-Negotiation Discovery Capable',
    ref: 'wireshark, libreswan',
  },
  { hex: '8aa394cf8a5577dc3110c113b027a4f2', name: 'Microsoft Xbox One 2013', match: 'exact', ref: 'libreswan' },
  { hex: '660822b3a73a244149578d62e0eb46a0', name: 'Xbox IKEv2 Negotiation', match: 'exact', ref: 'libreswan' },
  { hex: '686a8cbdfe634b405146fb2baf33e9e8', name: 'MSFT IPsec Security Realm Id', match: 'exact', ref: 'libreswan' },
  {
    hex: '12f5f28c457168a9702d9fe274cc',
    name: 'Cisco Unity',
    match: 'prefix',
    md5: 'CISCO-UNITY',
    ref: 'wireshark, libreswan',
    decode: 'cisco-unity',
    note: 'first 14 bytes of the MD5, then major and minor version',
  },
  { hex: '800100018002000180030002', name: 'Cisco Unity FW type', match: 'exact', ref: 'libreswan' },
  { hex: '1f07f70eaa6514d3b0fa96542a500100', name: 'Cisco VPN Concentrator', match: 'exact', ref: 'wireshark' },
  {
    hex: '1f07f70eaa6514d3b0fa96542a50',
    name: 'Cisco VPN 3000 Series',
    match: 'prefix',
    ref: 'libreswan',
    note: 'truncated MD5 of "ALTIGA GATEWAY" per libreswan; last two bytes carry the version',
  },
  { hex: '3e984048', name: 'Cisco IOS', match: 'prefix', ref: 'libreswan' },
  {
    hex: '464c455856504e2d535550504f52544544',
    name: 'Cisco FlexVPN supported',
    match: 'exact',
    ascii: 'FLEXVPN-SUPPORTED',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '434953434f2d44454c4554452d524541534f4e',
    name: 'Cisco delete reason supported',
    match: 'exact',
    ascii: 'CISCO-DELETE-REASON',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '434953434f2d44594e414d49432d524f555445',
    name: 'Cisco dynamic route supported',
    match: 'exact',
    ascii: 'CISCO-DYNAMIC-ROUTE',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '434953434f56504e2d5245562d3032',
    name: 'Cisco VPN revision 2',
    match: 'exact',
    ascii: 'CISCOVPN-REV-02',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '434953434f28434f505952494748542926436f7079726967687420286329203230303920436973636f2053797374656d732c20496e632e',
    name: 'Cisco copyright',
    match: 'exact',
    ascii: 'CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc.',
    ref: 'wireshark',
  },
  {
    hex: '434953434f2d4752452d4d4f4445',
    name: 'Cisco GRE mode supported',
    match: 'exact',
    ascii: 'CISCO-GRE-MODE',
    ref: 'wireshark',
  },
  {
    hex: 'f4ed19e0c114eb516faaac0ee37daf2807b4381f',
    name: 'Check Point',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    decode: 'checkpoint',
  },
  {
    hex: '031017e07f7a82e3aa6950c999990100',
    name: 'CryptoPro/GOST 1.0 / Check Point R71',
    match: 'exact',
    ref: 'wireshark',
  },
  { hex: '031017e07f7a82e3aa6950c999990101', name: 'CryptoPro/GOST 1.1', match: 'exact', ref: 'wireshark' },
  { hex: '9aa1f3b43472a45d5f506aeb26c0f214', name: 'CyberGuard', match: 'exact', ref: 'wireshark' },
  { hex: 'f14b94b7bff1fef02773b8c49feded26', name: 'Shrew Soft', match: 'exact', ref: 'wireshark, libreswan' },
  {
    hex: '882fe56d6fd20dbc2251613b2ebe5beb',
    name: 'strongSwan',
    match: 'prefix',
    md5: 'strongSwan',
    ref: 'wireshark, libreswan',
    decode: 'text',
  },
  {
    hex: '2ce9c946a4c879bf11b50b76cc5692cb',
    name: 'strongSwan 4.0.0',
    match: 'exact',
    md5: 'strongSwan 4.0.0',
    ref: 'libreswan',
  },
  {
    hex: '9dbbafcf1db0dd595ae065294003ad3e',
    name: 'strongSwan 4.0.1',
    match: 'exact',
    md5: 'strongSwan 4.0.1',
    ref: 'libreswan',
  },
  {
    hex: '77e8eea6f556a499de3ffe7f7f95661c',
    name: 'strongSwan 4.0.2',
    match: 'exact',
    md5: 'strongSwan 4.0.2',
    ref: 'libreswan',
  },
  {
    hex: 'b181b18e114fc209b3c6e26c3a80718e',
    name: 'strongSwan 4.0.3',
    match: 'exact',
    md5: 'strongSwan 4.0.3',
    ref: 'libreswan',
  },
  {
    hex: '1ef283f83549b5ff9608b6d634f84d75',
    name: 'strongSwan 4.0.4',
    match: 'exact',
    md5: 'strongSwan 4.0.4',
    ref: 'libreswan',
  },
  {
    hex: 'dd180d21e5ce655a768ba32211dd8ad9',
    name: 'strongSwan 4.0.5',
    match: 'exact',
    md5: 'strongSwan 4.0.5',
    ref: 'libreswan',
  },
  {
    hex: '4c90136946577b51919d8d9a6b8e4a9f',
    name: 'strongSwan 4.0.6',
    match: 'exact',
    md5: 'strongSwan 4.0.6',
    ref: 'libreswan',
  },
  {
    hex: 'ab0746221cc8fd0d5238f73a9b3da557',
    name: 'strongSwan 4.0.7',
    match: 'exact',
    md5: 'strongSwan 4.0.7',
    ref: 'libreswan',
  },
  {
    hex: '4794cef6843422980d1a3d06af41c5cd',
    name: 'strongSwan 4.1.0',
    match: 'exact',
    md5: 'strongSwan 4.1.0',
    ref: 'libreswan',
  },
  {
    hex: 'd3f1c488c368175d5f40a8f5ca5f5e12',
    name: 'strongSwan 4.1.1',
    match: 'exact',
    md5: 'strongSwan 4.1.1',
    ref: 'libreswan',
  },
  {
    hex: '15a1ace7ee52fddfef04f928db2dd134',
    name: 'strongSwan 4.1.2',
    match: 'exact',
    md5: 'strongSwan 4.1.2',
    ref: 'libreswan',
  },
  {
    hex: '5849ab6d8beabd6e4d09e5a3b88c089a',
    name: 'strongSwan 4.1.3',
    match: 'exact',
    md5: 'strongSwan 4.1.3',
    ref: 'libreswan',
  },
  {
    hex: '312f9cb1a6b90e19de7528c904ac3087',
    name: 'strongSwan 4.1.4',
    match: 'exact',
    md5: 'strongSwan 4.1.4',
    ref: 'libreswan',
  },
  {
    hex: 'bf0fbf7306ebb7827042d893539886e2',
    name: 'strongSwan 4.1.5',
    match: 'exact',
    md5: 'strongSwan 4.1.5',
    ref: 'libreswan',
  },
  {
    hex: 'd19683368af4b0edc21ccde982b1d1b0',
    name: 'strongSwan 4.1.6',
    match: 'exact',
    md5: 'strongSwan 4.1.6',
    ref: 'libreswan',
  },
  {
    hex: 'ea840aa4dfc9712d6c32b5a16eb329a3',
    name: 'strongSwan 4.1.7',
    match: 'exact',
    md5: 'strongSwan 4.1.7',
    ref: 'libreswan',
  },
  {
    hex: '66a2045507c119da78a4666259cdea48',
    name: 'strongSwan 4.1.8',
    match: 'exact',
    md5: 'strongSwan 4.1.8',
    ref: 'libreswan',
  },
  {
    hex: '78fdd287def01a3f074b5369eab4fd1c',
    name: 'strongSwan 4.1.9',
    match: 'exact',
    md5: 'strongSwan 4.1.9',
    ref: 'libreswan',
  },
  {
    hex: 'bf3a89ae5bef8e72d44dac8bb88d7d5f',
    name: 'strongSwan 4.1.10',
    match: 'exact',
    md5: 'strongSwan 4.1.10',
    ref: 'libreswan',
  },
  {
    hex: 'b7bd9f2f978e3259a7aa9f7a1396ad6c',
    name: 'strongSwan 4.1.11',
    match: 'exact',
    md5: 'strongSwan 4.1.11',
    ref: 'libreswan',
  },
  {
    hex: '9f68901325a972894335302a9531ab9f',
    name: 'strongSwan 4.2.0',
    match: 'exact',
    md5: 'strongSwan 4.2.0',
    ref: 'libreswan',
  },
  {
    hex: 'bab253f4cb10a8108a7c927c56c87886',
    name: 'strongSwan 4.2.1',
    match: 'exact',
    md5: 'strongSwan 4.2.1',
    ref: 'libreswan',
  },
  {
    hex: '2a517d0d23c37d08bce7c292a0217b39',
    name: 'strongSwan 4.2.2',
    match: 'exact',
    md5: 'strongSwan 4.2.2',
    ref: 'libreswan',
  },
  {
    hex: '2d1f406118fbd5d28474791ffa00488a',
    name: 'strongSwan 4.2.3',
    match: 'exact',
    md5: 'strongSwan 4.2.3',
    ref: 'libreswan',
  },
  {
    hex: '8c4a3bcb729b11f703d22a5b39640ca8',
    name: 'strongSwan 2.8.8',
    match: 'exact',
    md5: 'strongSwan 2.8.8',
    ref: 'libreswan',
  },
  {
    hex: '3a0d4e7ca4e492ed4dfe476d1ac6018b',
    name: 'strongSwan 2.8.7',
    match: 'exact',
    md5: 'strongSwan 2.8.7',
    ref: 'libreswan',
  },
  {
    hex: 'fe3f49706e26a9fb36a87bfce9ea36ce',
    name: 'strongSwan 2.8.6',
    match: 'exact',
    md5: 'strongSwan 2.8.6',
    ref: 'libreswan',
  },
  {
    hex: '4c7efa31b39e510432a317570d97bbb9',
    name: 'strongSwan 2.8.5',
    match: 'exact',
    md5: 'strongSwan 2.8.5',
    ref: 'libreswan',
  },
  {
    hex: '76c72bfd398424dd001b86d0012fe061',
    name: 'strongSwan 2.8.4',
    match: 'exact',
    md5: 'strongSwan 2.8.4',
    ref: 'libreswan',
  },
  {
    hex: 'fb4641ad0eeb2a34491d15f4eff51063',
    name: 'strongSwan 2.8.3',
    match: 'exact',
    md5: 'strongSwan 2.8.3',
    ref: 'libreswan',
  },
  {
    hex: '299932277b7dfe382ce23465333a7d23',
    name: 'strongSwan 2.8.2',
    match: 'exact',
    md5: 'strongSwan 2.8.2',
    ref: 'libreswan',
  },
  {
    hex: 'e37f2d5ba89a62cd202ee27dac06c8a8',
    name: 'strongSwan 2.8.1',
    match: 'exact',
    md5: 'strongSwan 2.8.1',
    ref: 'libreswan',
  },
  {
    hex: '32f0e9b9c06dfe8c9ad5599a636971a1',
    name: 'strongSwan 2.8.0',
    match: 'exact',
    md5: 'strongSwan 2.8.0',
    ref: 'libreswan',
  },
  {
    hex: '7f50cc4ebf04c2d9da73abfd69b77aa2',
    name: 'strongSwan 2.7.3',
    match: 'exact',
    md5: 'strongSwan 2.7.3',
    ref: 'libreswan',
  },
  {
    hex: 'a194e2aaddd0bafb95253dd96dc733eb',
    name: 'strongSwan 2.7.2',
    match: 'exact',
    md5: 'strongSwan 2.7.2',
    ref: 'libreswan',
  },
  {
    hex: '8134878582121785ba65ea345d6ba724',
    name: 'strongSwan 2.7.1',
    match: 'exact',
    md5: 'strongSwan 2.7.1',
    ref: 'libreswan',
  },
  {
    hex: '07fa128e4754f9447b1dd46374eef360',
    name: 'strongSwan 2.7.0',
    match: 'exact',
    md5: 'strongSwan 2.7.0',
    ref: 'libreswan',
  },
  {
    hex: 'b927f95219a0fe3600dba3c1182ae55f',
    name: 'strongSwan 2.6.4',
    match: 'exact',
    md5: 'strongSwan 2.6.4',
    ref: 'libreswan',
  },
  {
    hex: 'b2860e7837f711bef3d0eeb106872ded',
    name: 'strongSwan 2.6.3',
    match: 'exact',
    md5: 'strongSwan 2.6.3',
    ref: 'libreswan',
  },
  {
    hex: '5b1cd6fe7d050eda6c93871c107db3d2',
    name: 'strongSwan 2.6.2',
    match: 'exact',
    md5: 'strongSwan 2.6.2',
    ref: 'libreswan',
  },
  {
    hex: '66afbc12bbfe6ce108b1f69f4bc917b7',
    name: 'strongSwan 2.6.1',
    match: 'exact',
    md5: 'strongSwan 2.6.1',
    ref: 'libreswan',
  },
  {
    hex: '3f3266499ffdbd85950e702298062844',
    name: 'strongSwan 2.6.0',
    match: 'exact',
    md5: 'strongSwan 2.6.0',
    ref: 'libreswan',
  },
  {
    hex: '1f4442296b83d7e33a8b45209ba0e590',
    name: 'strongSwan 2.5.7',
    match: 'exact',
    md5: 'strongSwan 2.5.7',
    ref: 'libreswan',
  },
  {
    hex: '3c5eba3d8564928e32ae43c3d9924dee',
    name: 'strongSwan 2.5.6',
    match: 'exact',
    md5: 'strongSwan 2.5.6',
    ref: 'libreswan',
  },
  {
    hex: '3f267ed621ada7ee6c7d8893ccb0b14b',
    name: 'strongSwan 2.5.5',
    match: 'exact',
    md5: 'strongSwan 2.5.5',
    ref: 'libreswan',
  },
  {
    hex: '7a6bf5b7df89642a75a78ef7d657c1c0',
    name: 'strongSwan 2.5.4',
    match: 'exact',
    md5: 'strongSwan 2.5.4',
    ref: 'libreswan',
  },
  {
    hex: 'df5b1f0f1d5679d9f8512b16c55a6065',
    name: 'strongSwan 2.5.3',
    match: 'exact',
    md5: 'strongSwan 2.5.3',
    ref: 'libreswan',
  },
  {
    hex: '861ce5eb72164b190e9e629a31cf4901',
    name: 'strongSwan 2.5.2',
    match: 'exact',
    md5: 'strongSwan 2.5.2',
    ref: 'libreswan',
  },
  {
    hex: '9a4a4648f60f8eda7cfcbfe271ee5b7d',
    name: 'strongSwan 2.5.1',
    match: 'exact',
    md5: 'strongSwan 2.5.1',
    ref: 'libreswan',
  },
  {
    hex: '9eb3d907ed7ada4e3cbcacb917abc8e4',
    name: 'strongSwan 2.5.0',
    match: 'exact',
    md5: 'strongSwan 2.5.0',
    ref: 'libreswan',
  },
  {
    hex: '485a70361b4433b31dea1c6be0df243e',
    name: 'strongSwan 2.4.4',
    match: 'exact',
    md5: 'strongSwan 2.4.4',
    ref: 'libreswan',
  },
  {
    hex: '982b7a063a33c143a8eadc88249f6bcc',
    name: 'strongSwan 2.4.3',
    match: 'exact',
    md5: 'strongSwan 2.4.3',
    ref: 'libreswan',
  },
  {
    hex: 'e7a3fd0c6d771a8f1b8a86a4169c9ea4',
    name: 'strongSwan 2.4.2',
    match: 'exact',
    md5: 'strongSwan 2.4.2',
    ref: 'libreswan',
  },
  {
    hex: '75b0653cb281eb26d31ede38c8e1e228',
    name: 'strongSwan 2.4.1',
    match: 'exact',
    md5: 'strongSwan 2.4.1',
    ref: 'libreswan',
  },
  {
    hex: 'e829c88149bab3c0cee85da60e18ae9b',
    name: 'strongSwan 2.4.0',
    match: 'exact',
    md5: 'strongSwan 2.4.0',
    ref: 'libreswan',
  },
  {
    hex: '42a4834c92ab9a7777063afa254bcb69',
    name: 'strongSwan 2.3.2',
    match: 'exact',
    md5: 'strongSwan 2.3.2',
    ref: 'libreswan',
  },
  {
    hex: 'f697c1afcc2ec8ddcdf99dc7af03a67f',
    name: 'strongSwan 2.3.1',
    match: 'exact',
    md5: 'strongSwan 2.3.1',
    ref: 'libreswan',
  },
  {
    hex: 'b8f92b2fa2d3fe5fe158344bda1cc6ae',
    name: 'strongSwan 2.3.0',
    match: 'exact',
    md5: 'strongSwan 2.3.0',
    ref: 'libreswan',
  },
  {
    hex: '99dc7cc823376b3b33d04357896ae07b',
    name: 'strongSwan 2.2.2',
    match: 'exact',
    md5: 'strongSwan 2.2.2',
    ref: 'libreswan',
  },
  {
    hex: 'd9118b1e9de5efced9cc9d883f2168ff',
    name: 'strongSwan 2.2.1',
    match: 'exact',
    md5: 'strongSwan 2.2.1',
    ref: 'libreswan',
  },
  {
    hex: '85b6cbec480d5c8cd9882c825ac2c244',
    name: 'strongSwan 2.2.0',
    match: 'exact',
    md5: 'strongSwan 2.2.0',
    ref: 'libreswan',
  },
  {
    hex: '7003cbc1097dbe9c2600ba6983bc8b35',
    name: 'KAME/racoon',
    match: 'exact',
    md5: 'KAME/racoon',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '20a3622c1cea7ce37bee3ca484425276',
    name: 'IPsec-Tools',
    match: 'exact',
    md5: 'IPSec-Tools',
    ref: 'wireshark',
  },
  { hex: '101fb0b35c5a4f4c08b919f1cb9777b0', name: 'NCP client', match: 'exact', ref: 'libreswan' },
  {
    hex: '299ee8289f40a8973bc78687e2e7226b532c3b76',
    name: 'NetScreen-01',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '3a15e1f3cf2a63582e3ac82d1c64cbe3b6d779e7',
    name: 'NetScreen-02',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '47d2b126bfcd83489760e2cf8c5d4d5a03497c15',
    name: 'NetScreen-03',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '4a4340b543e02b84c88a8b96a8af9ebe77d9accc',
    name: 'NetScreen-04',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '64405f46f03b7660a23be116a1975058e69e8387',
    name: 'NetScreen-05',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '699369228741c6d4ca094c93e242c9de19e7b7c6',
    name: 'NetScreen-06',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '8c0dc6cf62a0ef1b5c6eabd1b67ba69866adf16a',
    name: 'NetScreen-07',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '92d27a9ecb31d99246986d3453d0c3d57a222a61',
    name: 'NetScreen-08',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '9b096d9ac3275a7d6fe8b91c583111b09efed1a0',
    name: 'NetScreen-09',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: 'bf03746108d746c904f1f3547de24f78479fed12',
    name: 'NetScreen-10',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: 'c2e80500f4cc5fbf5daaeed3bb59abaeee56c652',
    name: 'NetScreen-11',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: 'c8660a62b03b1b6130bf781608d32a6a8d0fb89f',
    name: 'NetScreen-12',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: 'f885da40b1e7a9abd17655ec5bbec0f21f0ed52e',
    name: 'NetScreen-13',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '2a2bcac19b8e91b426107807e02e7249569d6fd3',
    name: 'NetScreen-14',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '166f932d55eb64d8e4df4fd37e2313f0d0fd8451',
    name: 'NetScreen-15',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: 'a35bfd05ca1ac0b3d2f24e9e82bfcbff9c9e52b5',
    name: 'NetScreen-16',
    match: 'prefix',
    ref: 'wireshark, libreswan',
    note: 'Juniper appends version words, e.g. 0000000500000500',
  },
  {
    hex: '625027749d5ab97f5616c1602765cf480a3b7d0b',
    name: 'ZyXEL ZyWALL',
    match: 'exact',
    ref: 'wireshark, libreswan',
  },
  { hex: '8404adf9cda05760b2ca292e4bff537b', name: 'Sidewinder', match: 'exact', ref: 'wireshark, libreswan' },
  { hex: '404bf439522ca3f6', name: 'SonicWALL', match: 'exact', ref: 'wireshark, libreswan' },
  { hex: 'da8e937880010000', name: 'SonicWALL / WatchGuard Firebox', match: 'exact', ref: 'libreswan' },
  { hex: '2d7922c6b301d9b0e1342739e9cfbbd5', name: 'DWR: delete with reason', match: 'exact', ref: 'wireshark' },
  {
    hex: 'ca3e2b854ba8030017dc1023a4fde2041f9f7463',
    name: 'Aruba Networks remote AP',
    match: 'exact',
    ref: 'wireshark',
  },
  {
    hex: '3c8e70bdf9c7d74add53e4100915dc2e4bb51274',
    name: 'Aruba Networks controller',
    match: 'exact',
    ref: 'wireshark',
  },
  {
    hex: '88f0e3149b3fa48b05aa7f685f0b766be186ccb8',
    name: 'Aruba Networks VIA client',
    match: 'exact',
    ref: 'wireshark',
  },
  {
    hex: '56494120417574682050726f66696c65203a20',
    name: 'Aruba Networks VIA auth profile',
    match: 'prefix',
    ascii: 'VIA Auth Profile : ',
    ref: 'wireshark',
    decode: 'text',
  },
  { hex: '8299031757a36082c6a621de', name: 'Fortinet FortiGate', match: 'prefix', ref: 'wireshark' },
  {
    hex: '4c53427b6d465d1b337bb755a37a7fef',
    name: 'FortiClient connect license',
    match: 'exact',
    md5: 'forticlient connect license',
    ref: 'wireshark, libreswan',
  },
  {
    hex: 'b4f01ca951e9da8d0bafbbd34ad3044e',
    name: 'Fortinet endpoint control',
    match: 'exact',
    md5: 'Fortinet Endpoint Control',
    ref: 'wireshark, libreswan',
  },
  {
    hex: '4c5647392e322e3234353a425249434b3a392e322e323435',
    name: 'Lucent VPN Gateway 9',
    match: 'exact',
    ascii: 'LVG9.2.245:BRICK:9.2.245',
    ref: 'libreswan',
  },
  {
    hex: '4c5643372e312e323a5850',
    name: 'Lucent VPN Client 7',
    match: 'exact',
    ascii: 'LVC7.1.2:XP',
    ref: 'libreswan',
  },
  { hex: '54494d4553544550', name: 'Timestep', match: 'prefix', ascii: 'TIMESTEP', ref: 'libreswan', decode: 'text' },
  {
    hex: '08db45e6cb01f80bb576e9a78c0f54e1300b8881',
    name: 'ELVIS-PLUS Zastava',
    match: 'prefix',
    ref: 'libreswan',
    decode: 'elvis',
  },
  { hex: '4f70656e494b4544', name: 'OpenIKED', match: 'prefix', ascii: 'OpenIKED', ref: 'libreswan', decode: 'text' },
  {
    hex: '47bbe7c993f1fc13b4e6d0db565c68e5',
    name: 'SafeNet SoftRemote',
    match: 'prefix',
    ref: 'libreswan (comment)',
    decode: 'safenet',
    note: 'then 8 flag bytes, a length byte and the version text, e.g. "8.0.0 (Build 10)"',
  },
  {
    hex: '424e4553',
    name: 'Nortel Contivity',
    match: 'prefix',
    ascii: 'BNES',
    ref: 'libreswan (comment)',
    note: 'seen as 424e455300000009',
  },
  {
    hex: '5946c258f99a1a57b03eb9d1759e0f24',
    name: 'Cisco VPN 3000 (unidentified Vendor ID)',
    match: 'exact',
    ref: 'libreswan (comment)',
  },
  {
    hex: 'ebbc5b00141d0c895e11bd395902d690',
    name: 'Cisco VPN 3000 (unidentified Vendor ID, second)',
    match: 'exact',
    ref: 'libreswan (comment)',
  },
  {
    hex: 'ade1e70e9953c1328373ebf0257b85ed',
    name: 'Cisco PIX (unidentified Vendor ID)',
    match: 'exact',
    ref: 'libreswan (comment)',
  },
  { hex: 'eb4c1b788afd4a9cb7730a68d56d088b', name: 'NCP client (variant)', match: 'exact', ref: 'libreswan (comment)' },
  {
    hex: 'c61baca1f1a60cc10800000000000000',
    name: 'NCP client (variant, second)',
    match: 'exact',
    ref: 'libreswan (comment)',
  },
  {
    hex: 'cbe79444a0870de4224a2c151fbfe099',
    name: 'NCP client (variant, third)',
    match: 'exact',
    ref: 'libreswan (comment)',
  },
  {
    hex: '4f4544765b576b4045417447',
    name: 'FreeS/WAN 2.00',
    match: 'exact',
    fswan: 'Linux FreeS/WAN 2.00 PLUTO_SENDS_VENDORID',
    ref: 'libreswan',
  },
  {
    hex: '4f45774e4a4352716e45486f',
    name: 'FreeS/WAN 2.00 (X.509-1.3.1)',
    match: 'exact',
    fswan: 'Linux FreeS/WAN 2.00 X.509-1.3.1 PLUTO_SENDS_VENDORID',
    ref: 'libreswan',
  },
  {
    hex: '4f45575d6a5343424674796e',
    name: 'FreeS/WAN 2.00 (X.509-1.3.1 + LDAP)',
    match: 'exact',
    fswan: 'Linux FreeS/WAN 2.00 X.509-1.3.1 LDAP PLUTO_SENDS_VENDORID',
    ref: 'libreswan',
  },
  {
    hex: '4f4548724b6e5e68557c604f',
    name: 'Openswan 2.2.0',
    match: 'exact',
    fswan: 'Openswan 2.2.0',
    ref: 'libreswan',
  },
  {
    hex: '4f452d4c696272657377616e2d',
    name: 'Libreswan 3.6+',
    match: 'prefix',
    ascii: 'OE-Libreswan-',
    ref: 'libreswan',
    decode: 'text',
  },
  { hex: '4f454e', name: 'Libreswan 3.0 - 3.5', match: 'prefix', ascii: 'OEN', ref: 'libreswan', decode: 'text' },
  { hex: '4f5357', name: 'Openswan (Xelerance)', match: 'prefix', ascii: 'OSW', ref: 'libreswan', decode: 'text' },
  { hex: '4f45', name: 'Openswan (project)', match: 'prefix', ascii: 'OE', ref: 'libreswan', decode: 'text' },
];

/** Windows releases by the 4-byte version after "MS NT5 ISAKMPOAKLEY" ([MS-IKEE] 2.2.2.1, as listed by libreswan). */
const windowsVersions: Readonly<Record<number, string>> = {
  2: 'Windows 2000',
  3: 'Windows XP',
  4: 'Windows Server 2003',
  5: 'Windows Vista',
  6: 'Windows Server 2008',
  7: 'Windows 7',
  8: 'Windows Server 2008 R2',
  9: 'Windows 8, 8.1, 10, Server 2012 R2, Server 2016',
};

/** KEY_MODS Vendor ID modes ([MS-IKEE], as listed by libreswan). */
const keyModsModes: Readonly<Record<number, string>> = { 0: 'IKE', 1: 'AuthIP', 2: 'IKEv2' };

/** AuthIP initiator KE groups ([MS-IKEE], as listed by libreswan). */
const authIpGroups: Readonly<Record<number, string>> = {
  0: 'DH none',
  1: 'DH1',
  2: 'DH2',
  3: 'DH14',
  4: 'DH19 (ECP 256)',
  5: 'DH20 (ECP 384)',
  6: 'DH21 (ECP 521)',
  7: 'DH max',
};

/** Check Point product codes (as Wireshark names them). */
const checkPointProducts: Readonly<Record<number, string>> = { 1: 'Firewall-1', 2: 'SecuRemote/SecureClient' };

/** Check Point version codes (as Wireshark names them). */
const checkPointVersions: Readonly<Record<number, string>> = {
  2: '4.1',
  3: '4.1 SP-1',
  4002: '4.1 (SP-2 or above)',
  5000: 'NG',
  5001: 'NG Feature Pack 1',
  5002: 'NG Feature Pack 2',
  5003: 'NG Feature Pack 3',
  5004: 'NG with Application Intelligence',
  5005: 'NG with Application Intelligence R55',
  5006: 'NG with Application Intelligence R56',
};

type Decoded = { readonly details: VendorIdDetails; readonly suffix: string };

function u32(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
}

function printable(b: Uint8Array): string | undefined {
  if (b.length === 0) return undefined;
  let text = '';
  for (const c of b) {
    if (c < 0x20 || c > 0x7e) return undefined;
    text += String.fromCharCode(c);
  }
  return text;
}

/** Readers for the bytes after a prefix entry; each returns undefined when the bytes are too short or not of the format. */
const decoders: Readonly<Record<VendorIdDecoder, (t: Uint8Array) => Decoded | undefined>> = {
  'cisco-unity': (t) => {
    const [major, minor] = t;
    if (major === undefined || minor === undefined) return undefined;
    return { details: { kind: 'cisco-unity', major, minor }, suffix: ` ${major}.${minor}` };
  },
  'cisco-fragmentation': (t) => {
    if (t.length < 4) return undefined;
    const flags = u32(t, 0);
    return {
      details: { kind: 'cisco-fragmentation', flags },
      suffix: ` (flags 0x${flags.toString(16).padStart(8, '0')})`,
    };
  },
  'ms-nt5': (t) => {
    if (t.length < 4) return undefined;
    const version = u32(t, 0);
    const product = windowsVersions[version];
    return product === undefined
      ? { details: { kind: 'windows', version }, suffix: ` (version ${version})` }
      : { details: { kind: 'windows', version, product }, suffix: ` (${product})` };
  },
  'ms-key-mods': (t) => {
    if (t.length < 4) return undefined;
    const mode = u32(t, 0);
    const modeName = keyModsModes[mode];
    return modeName === undefined
      ? { details: { kind: 'ms-key-mods', mode }, suffix: ` (mode ${mode})` }
      : { details: { kind: 'ms-key-mods', mode, modeName }, suffix: ` (${modeName})` };
  },
  'ms-authip-ke': (t) => {
    if (t.length < 4) return undefined;
    const group = u32(t, 0);
    const groupName = authIpGroups[group];
    return groupName === undefined
      ? { details: { kind: 'ms-authip-ke', group }, suffix: ` (group ${group})` }
      : { details: { kind: 'ms-authip-ke', group, groupName }, suffix: ` (${groupName})` };
  },
  checkpoint: (t) => {
    if (t.length < 8) return undefined;
    const product = u32(t, 0);
    const version = u32(t, 4);
    const productName = checkPointProducts[product];
    const versionName = checkPointVersions[version];
    const details: VendorIdDetails = {
      kind: 'checkpoint',
      product,
      version,
      ...(productName === undefined ? {} : { productName }),
      ...(versionName === undefined ? {} : { versionName }),
      ...(t.length >= 20 ? { timestamp: u32(t, 8), reserved: u32(t, 12), features: u32(t, 16) } : {}),
    };
    return { details, suffix: ` ${productName ?? `product ${product}`} ${versionName ?? `version ${version}`}` };
  },
  elvis: (t) => {
    const [b] = t;
    if (b === undefined) return undefined;
    const major = b >> 4;
    const minor = b & 0x0f;
    return { details: { kind: 'elvis', major, minor }, suffix: ` ${major}.${minor}` };
  },
  safenet: (t) => {
    const length = t[8];
    if (length === undefined || t.length < 9 + length) return undefined;
    const text = printable(t.subarray(9, 9 + length));
    return text === undefined ? undefined : { details: { kind: 'text', text }, suffix: ` ${text}` };
  },
  text: (t) => {
    const text = printable(t);
    return text === undefined ? undefined : { details: { kind: 'text', text }, suffix: ` ${text}` };
  },
};

// The table's test holds every entry to lower-case hex pairs, so `fromHex` always reads it.
const compiled: readonly { readonly entry: VendorIdEntry; readonly bytes: Uint8Array }[] = vendorIds.map((entry) => ({
  entry,
  bytes: fromHex(entry.hex)!,
}));

function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

/**
 * The entries that can match a body starting with each byte value, in table order (an entry of no bytes is in every
 * list): a body is compared with the few entries of its first byte, not the whole table (a linear scan was an eighth
 * of `oaklog decode`'s run).
 */
const byFirstByte: readonly (typeof compiled)[number][][] = (() => {
  const lists: (typeof compiled)[number][][] = Array.from({ length: 256 }, () => []);
  for (const c of compiled)
    if (c.bytes.length === 0) for (const list of lists) list.push(c);
    else lists[c.bytes[0] as number]?.push(c);
  return lists;
})();
/** The entries a body of no bytes can match: those of no bytes. */
const ofNoBytes = compiled.filter((c) => c.bytes.length === 0);

/** Recognises a Vendor ID payload body, preferring the longest matching entry; undefined when nothing matches. */
export function recognizeVendorId(bytes: Uint8Array): VendorIdMatch | undefined {
  let best: (typeof compiled)[number] | undefined;
  const first = bytes[0];
  for (const candidate of first === undefined ? ofNoBytes : (byFirstByte[first] ?? [])) {
    const fits =
      candidate.entry.match === 'exact' ? equalBytes(bytes, candidate.bytes) : startsWith(bytes, candidate.bytes);
    if (fits && (best === undefined || candidate.bytes.length > best.bytes.length)) best = candidate;
  }
  if (best === undefined) return undefined;
  const { entry } = best;
  const trailing = bytes.slice(best.bytes.length);
  const decoded = entry.decode === undefined ? undefined : decoders[entry.decode](trailing);
  return decoded === undefined
    ? { name: entry.name, description: entry.name, entry, trailing }
    : { name: entry.name, description: entry.name + decoded.suffix, entry, trailing, details: decoded.details };
}
