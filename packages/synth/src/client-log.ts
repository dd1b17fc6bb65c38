/**
 * The synthesizer's own model of what the Cisco Secure VPN Client / SafeNet SoftRemote writes in its View Log, from
 * the lines of the client's documented scenarios (shared/reference/viewlog-format.md). It is written from the scenario
 * as it is played, never from the packets, so comparing it with what `@oaklog/bridge` prints for the capture tests the
 * bridge against an independent account.
 */

/** The client's names of the notify types a scenario can send (the documented four, then the usual informational ones). */
export const CLIENT_NOTIFY_NAMES: Readonly<Record<number, string>> = {
  14: 'NO_PROPOSAL_CHOSEN',
  18: 'INVALID_ID_INFORMATION',
  24: 'AUTHENTICATION_FAILED',
  16384: 'NOTIFY_CONNECTED',
  24576: 'STATUS_RESP_LIFETIME',
  24578: 'STATUS_INITIAL_CONTACT',
  36136: 'DPD_R_U_THERE',
  36137: 'DPD_R_U_THERE_ACK',
};

/** Notify types below 16384 are errors (RFC 2408 3.14.1): the client announces each one it receives. */
export { isErrorNotify } from '@oaklog/common';

/** `HH:MM:SS.mmm` in UTC, as the client stamps each line. */
export function clientTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}

/** A cookie as `MY COOKIE` prints it: bytes in lower-case hex without zero padding (`d` for 0x0d). */
export function clientCookie(cookie: Uint8Array): string {
  return Array.from(cookie, (b) => b.toString(16)).join(' ');
}

/** A quick-mode client ID as the `Initiator =` line prints it. */
export function clientIdText(id: string): string {
  const [net, bits] = id.split('/');
  if (bits === undefined) return `IP ADDR=${net}`;
  const m = prefixMask(Number(bits));
  const mask = [24, 16, 8, 0].map((s) => (m >>> s) & 0xff).join('.');
  return `IP SUBNET/MASK=${net}/${mask}`;
}

/** The IPv4 netmask of a prefix length (`24` → 0xffffff00), as an unsigned 32-bit number. */
export function prefixMask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** The lines one side of a conversation writes, in order, each stamped with its time. */
export interface ClientLog {
  /** A line with the connection prefix. */
  line(ms: number, text: string): void;
  /** A line without the connection prefix (`Received NO_PROPOSAL_CHOSEN message`). */
  bare(ms: number, text: string): void;
  /** A continuation line under the previous one (`   MY COOKIE …`), with no time. */
  continued(text: string): void;
  /** An IKE message line: `SENDING>>>> ISAKMP OAK MM *(ID, HASH)`, or `(Retransmission)` for a resend. */
  message(ms: number, sent: boolean, exchange: string, encrypted: boolean, items: readonly string[] | 'resend'): void;
  /** The text, one line each, newline-terminated. */
  text(): string;
}

/** A log for connection `connection`. */
export function createClientLog(connection: string): ClientLog {
  const lines: string[] = [];
  return {
    line: (ms, text) => lines.push(`${clientTime(ms)} ${connection} - ${text}`),
    bare: (ms, text) => lines.push(`${clientTime(ms)} ${text}`),
    continued: (text) => lines.push(text),
    message(ms, sent, exchange, encrypted, items) {
      const arrow = sent ? 'SENDING>>>>' : 'RECEIVED<<<<';
      const list = items === 'resend' ? 'Retransmission' : items.join(', ');
      lines.push(`${clientTime(ms)} ${connection} - ${arrow} ISAKMP OAK ${exchange} ${encrypted ? '*' : ''}(${list})`);
    },
    text: () => lines.map((l) => `${l}\n`).join(''),
  };
}
