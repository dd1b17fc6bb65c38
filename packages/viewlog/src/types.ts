import type { DiagnosticCode } from './diagnostics';

/** The three dialects the grammar reads. */
export type Dialect = 'safenet' | 'cisco-vpnclient' | 'gateway';

/** Where a parsed event came from. Absent on events built by code. */
export interface Source {
  /** 1-based number of the first source line of the event. */
  readonly line: number;
  /** 1-based number of the last source line (greater than `line` for indented continuation lines). */
  readonly endLine: number;
  /** 0-based offset of the first character of the event in the whole text. */
  readonly start: number;
  /** 0-based offset just past the event, its line ending included. */
  readonly end: number;
  /** The exact source text, `text.slice(start, end)`; `format` prints it back unchanged. */
  readonly raw: string;
}

/** Fields every event has. */
export interface EventBase {
  /** What follows the event's text: its line ending (`\n`, `\r\n`, `\r`, or `''` at end of file), or the spacing before a Log Viewer message continued on its head line. Defaults to `\n` when printing built events. */
  readonly eol?: string;
  /** Where the event was read from; `format` prints `source.raw` when it is present. */
  readonly source?: Source;
  /** What a paste put before the line (`- `, `> `, `[code]`, `[SIZE="1"][INDENT]`), as written; on every line of the event. */
  readonly quote?: string;
  /** What a paste put after the line (`[/INDENT][/SIZE]`), as written. */
  readonly quoteEnd?: string;
  /** The gateway log row (SonicWALL export or syslog) the message stands in. */
  readonly row?: GatewayRow;
}

/**
 * The columns of a SonicWALL log row around its message: the export (`1\t03/02/2012 14:05:19.610\tInfo\tVPN IKE\t…`),
 * its copy with runs of spaces, or the syslog form (`id=firewall sn=… time="…" … msg="…" … src=… dst=…`).
 */
export interface GatewayRow {
  /** `collapsed`: a paste turned the column separators into single spaces (the columns after the message stay in it). */
  readonly layout: 'tabs' | 'spaces' | 'collapsed' | 'syslog';
  /** The exact text before the message column (`lead + message + trail` is the line). */
  readonly lead: string;
  /** The exact text after the message column. */
  readonly trail: string;
  /** The row number of the export. */
  readonly number?: number;
  readonly date?: string;
  readonly time?: string;
  /** `Info`, `Warning`, …; syslog: `pri=` (0–7). */
  readonly priority?: string;
  /** `VPN IKE`; syslog: `c=`. */
  readonly category?: string;
  /** Syslog: the event id `m=`. */
  readonly eventId?: string;
  /** Source column (`198.51.100.7, 500`; syslog `ip:port:zone`). */
  readonly source?: string;
  readonly destination?: string;
  /** Notes column (`VPN Policy: WAN GroupVPN`); syslog `note=`. */
  readonly notes?: string;
}

/** What kind of human addition a note is. */
export type NoteKind = 'comment' | 'elision' | 'markup' | 'quote-header';

/** Time and connection prefix of a SafeNet line: `01:38:02.570 Balt Corporate Access - `. */
export interface LinePrefix {
  /**
   * The date before the time, as written: `12/03/2003`, `2003-12-03`, or the NetScreen-Remote/SoftRemote month-day
   * stamp `4-16:` (its colon included).
   */
  readonly date?: string;
  /** The time as written, when the line has one: `01:38:02.570`, `01:38:02,570`, `1:38:02 PM`. */
  readonly time?: string;
  /** `[…]`: date and time stand in square brackets (`[01:38:02.570] Pre-share - …`). */
  readonly bracketed?: true;
  /** The Policy Editor connection name (spaces and `\` folders allowed), when the line has one. */
  readonly connection?: string;
}

/** One item of an IKE message's payload list. */
export interface PayloadItem {
  /** The payload word (`SA`, `KE`, `NON`, `VID`, `NOTIFY`, `NAT-D`, …); any word the log prints. */
  readonly payload: string;
  /** The exact spelling when it differs from `payload` (`NATD` for NAT-D). */
  readonly spelling?: string;
  /** Vendor ID name in `VID(name)`. */
  readonly vendor?: string;
  /** Notify name in `NOTIFY:<name>`. */
  readonly notify?: string;
  /** oaklog's `UNREADABLE` mark (`payload` is `UNREADABLE`): the rest of the message could not be decoded. */
  readonly unreadable?: true;
}

/** Direction of an IKE message. */
export type Direction = 'sent' | 'received';

/** `(InitCookie 0x..., MsgID: 0x...)` of gateway lines. */
export interface GatewayHeader {
  /** Initiator cookie hex digits as written, without `0x`. */
  readonly initCookie: string;
  /** Message id hex digits as written, without `0x`. */
  readonly msgId: string;
}

/** `10.0.0.1, 500` of gateway lines. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** `SENDING>>>> ISAKMP OAK MM (SA)` and the Log Viewer and gateway variants. */
export interface IkeMessageEvent extends EventBase, LinePrefix {
  readonly kind: 'ike-message';
  readonly direction: Direction;
  /** The exact arrow text: `SENDING>>>>`, `RECEIVED<<<`, `SENDING >>>`, `RECEIVING <<<`. */
  readonly arrow: string;
  /** Exchange abbreviation (`MM`, `AG`, `QM`, `INFO`, `TRANS`, …). */
  readonly exchange: string;
  /** `*`: the message was encrypted. */
  readonly encrypted: boolean;
  /** Gateway dialect: the `(InitCookie …, MsgID: …)` group. */
  readonly gateway?: GatewayHeader;
  /** Payload items in packet order; empty for `(Retransmission)`. */
  readonly items: readonly PayloadItem[];
  /** `(Retransmission)`: the message was resent. */
  readonly retransmission: boolean;
  /** Log Viewer: the peer after `to`/`from`. */
  readonly peer?: string;
  /** Gateway dialect: the addresses after the list (source, then destination). */
  readonly endpoints?: readonly Endpoint[];
  /** The line was cut inside the payload list: the text after the last whole item, exactly as written. */
  readonly clipped?: string;
}

/** `Initiating IKE Phase 1 (IP ADDR=<peer>)`. */
export interface Phase1StartEvent extends EventBase, LinePrefix {
  readonly kind: 'phase1-start';
  readonly peer: string;
  /** `(Aggressive Mode)` after the address: the mode named in parentheses, as written. */
  readonly mode?: string;
}

/** `Established IKE SA` with `MY COOKIE`/`HIS COOKIE` (own indented lines, or continued on the same line). */
export interface IkeSaEstablishedEvent extends EventBase, LinePrefix {
  readonly kind: 'ike-sa-established';
  /** Initiator-side cookie as the client printed it (8 bytes). */
  readonly myCookie?: Uint8Array;
  /** Peer's cookie (8 bytes). */
  readonly hisCookie?: Uint8Array;
  /** `inline`: the cookies continue the `Established IKE SA` line instead of standing on their own lines. */
  readonly layout?: 'inline';
}

/** A client ID of a quick-mode proposal. */
export type ClientIdAddress =
  | { readonly type: 'address'; readonly address: string }
  | { readonly type: 'subnet'; readonly address: string; readonly mask: string }
  | { readonly type: 'range'; readonly start: string; readonly end: string };

/** `IP ADDR=10.0.0.1, prot = 0 port = 0`. */
export interface ClientId {
  readonly id: ClientIdAddress;
  /** IP protocol number, 0 = any. */
  readonly protocol: number;
  /** Port, 0 = any. */
  readonly port: number;
}

/** `Initiating IKE Phase 2 with Client IDs (message id: 61965C8D)` with `Initiator =`/`Responder =`. */
export interface Phase2StartEvent extends EventBase, LinePrefix {
  readonly kind: 'phase2-start';
  /** Quick-mode message id. */
  readonly messageId: number;
  readonly initiator?: ClientId;
  readonly responder?: ClientId;
  /** `inline`: the client IDs continue the head line instead of standing on their own lines. */
  readonly layout?: 'inline';
}

/** `Loading IPsec SA (Message ID = 61965C8D) OUTBOUND SPI = 405 INBOUND SPI = 493B30CC)`. */
export interface LoadingIpsecSaEvent extends EventBase, LinePrefix {
  readonly kind: 'loading-ipsec-sa';
  /**
   * `vpnclient`: the Log Viewer wording `Loading IPsec SA (MsgID=… OUTBOUND SPI = 0x… INBOUND SPI = 0x…)`;
   * `balanced`: the SafeNet wording without the `)` after the message id
   * (`Loading IPsec SA (Message ID = … OUTBOUND SPI = … INBOUND SPI = …)`).
   */
  readonly style?: 'vpnclient' | 'balanced';
  readonly messageId: number;
  readonly outboundSpi: number;
  readonly inboundSpi: number;
}

/** `message not received! Retransmitting!`. */
export interface RetransmitEvent extends EventBase, LinePrefix {
  readonly kind: 'retransmit';
  /** The wording when it is not the SafeNet one (Log Viewer: `Retransmitting last packet!`). */
  readonly text?: string;
}

/** `Exceeded 3 IKE SA negotiation attempts` (phase 1) or `Exceeded retry attempts - deleting IPSec Security Association` (phase 2). */
export type ExceededAttemptsEvent =
  | (EventBase & LinePrefix & { readonly kind: 'exceeded-attempts'; readonly phase: 1; readonly attempts: number })
  | (EventBase & LinePrefix & { readonly kind: 'exceeded-attempts'; readonly phase: 2 });

/** `Received NO_PROPOSAL_CHOSEN message`. */
export interface ReceivedNotifyEvent extends EventBase, LinePrefix {
  readonly kind: 'received-notify';
  readonly notify: string;
  /** `Received NO_PROPOSAL_CHOSEN message.`: the sentence ends with a period. */
  readonly period?: true;
}

/**
 * SafeNet status lines that say how authentication or the mode went: `Hash verification failed`, `Key not found`,
 * `Aggressive mode`, `Main mode`, and the gateways' and Cisco clients' equivalents.
 */
export interface StatusEvent extends EventBase, LinePrefix {
  readonly kind: 'status';
  /** What the line says, typed. */
  readonly status: 'hash-verification-failed' | 'key-not-found' | 'aggressive-mode' | 'main-mode';
  /** The message as written. */
  readonly text: string;
}

/** `Deleting IKE SA …`, `Marking IKE SA for deletion …`, `Discarding IPsec SA negotiation …` and similar. */
export interface DeletingSaEvent extends EventBase, LinePrefix {
  readonly kind: 'deleting-sa';
  /** Which SA goes away. */
  readonly sa: 'IKE' | 'IPsec';
  /** The message as written (the SA kind is read from it). */
  readonly text: string;
  /** `reason = DEL_REASON_…` when the message gives one. */
  readonly reason?: string;
}

/** Log Viewer banner lines (`Cisco Systems VPN Client Version 4.8.01 (0640)`, copyright, `Client Type(s):`, `Running on:`…). */
export interface BannerEvent extends EventBase {
  readonly kind: 'banner';
  readonly text: string;
  /** Client version from the first banner line. */
  readonly version?: string;
}

/** Log Viewer head line: `3      13:11:48.196  01/24/06  Sev=Info/4\tIKE/0x63000013`. */
export interface RecordEvent extends EventBase {
  readonly kind: 'record';
  readonly sequence: number;
  readonly time: string;
  /** `MM/DD/YY` or `MM/DD/YYYY` as written. */
  readonly date: string;
  /** `Info`, `Warning`, `Debug`, … */
  readonly severity: string;
  readonly level: number;
  /** Event class: `IKE`, `CM`, `CVPND`, `CLI`, `GUI`, `CERT`, `IPSEC`, … */
  readonly eventClass: string;
  /** The 8 hex digits after `0x`, as written. */
  readonly eventId: string;
}

/** Log Viewer `Received ISAKMP packet: peer = 10.1.1.1`. */
export interface PacketReceivedEvent extends EventBase, LinePrefix {
  readonly kind: 'packet-received';
  readonly peer: string;
}

/** Log Viewer SA status lines (`IKE SA … established`, `Established Phase 2 SA …`, `Phase 1 SA established`). */
export interface SaEstablishedEvent extends EventBase, LinePrefix {
  readonly kind: 'sa-established';
  readonly phase: 1 | 2;
  /** The message as written. */
  readonly text: string;
}

/** A Log Viewer (or gateway) message line no typed rule covers, kept as text: the dialect's own free-text messages. */
export interface MessageTextEvent extends EventBase {
  readonly kind: 'message-text';
  readonly text: string;
}

/**
 * A message the knowledge table knows by its wording (Log Viewer messages, `vpnclient` command-line output, SonicWALL
 * IKE messages): `message` is its table id, `values` the fields the wording carries.
 */
export interface KnownMessageEvent extends EventBase, LinePrefix {
  readonly kind: 'known-message';
  /** The knowledge-table id (`vpnclient-cli.connection-secure`, `sonicwall.header-failed`, …). */
  readonly message: string;
  /** The message as written (without paste marks or row columns). */
  readonly text: string;
  /** Fields the wording carries (`peer`, `port`, `reason`, `code`, `source`, …). */
  readonly values: Readonly<Record<string, string>>;
}

/** A human addition inside a paste: `[These last two appear three times each]`, `...`, `[code]`, `Bob wrote:`. */
export interface NoteEvent extends EventBase {
  readonly kind: 'note';
  readonly note: NoteKind;
  readonly text: string;
}

/** An empty or whitespace-only line. */
export interface BlankEvent extends EventBase {
  readonly kind: 'blank';
  /** The whitespace on the line. */
  readonly text: string;
}

/** A line no rule reads (a pasted note, a clipped line): kept verbatim. */
export interface UnknownEvent extends EventBase {
  readonly kind: 'unknown';
  readonly text: string;
}

/** Every event the grammar produces. */
export type LogEvent =
  | IkeMessageEvent
  | Phase1StartEvent
  | IkeSaEstablishedEvent
  | Phase2StartEvent
  | LoadingIpsecSaEvent
  | RetransmitEvent
  | ExceededAttemptsEvent
  | ReceivedNotifyEvent
  | DeletingSaEvent
  | StatusEvent
  | BannerEvent
  | RecordEvent
  | PacketReceivedEvent
  | SaEstablishedEvent
  | MessageTextEvent
  | KnownMessageEvent
  | NoteEvent
  | BlankEvent
  | UnknownEvent;

/** The `kind` of each event. */
export type LogEventKind = LogEvent['kind'];

/** A problem found while reading: data, never thrown. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** 0-based offset in the text. */
  readonly offset: number;
  /** Characters covered (at least 0). */
  readonly length: number;
  /** 1-based line. */
  readonly line: number;
  /**
   * 1-based column, counted in UTF-16 code units like `offset` (a character outside the Basic Multilingual Plane counts
   * two), so `offset === lineStart + column - 1`.
   */
  readonly column: number;
}

/** What `parse` returns. */
export interface ParseResult {
  readonly dialect: Dialect;
  readonly events: LogEvent[];
  readonly diagnostics: Diagnostic[];
}

/** Options of `parse` and `parseStream`. */
export interface ParseOptions {
  /** Force a dialect instead of detecting it. */
  readonly dialect?: Dialect;
}
