/**
 * Builds plausible View Logs from fuzzer choices: lines of all three dialects assembled from the OAK vocabulary
 * (shared/reference/viewlog-format.md), so the parser's deep rules (payload lists, notify names, cookies, client
 * IDs, SPIs, Log Viewer records, gateway groups) are reached instead of "unknown line"; the families people paste
 * (Log Viewer messages, `vpnclient connect` output, SonicWALL rows and syslog) from the knowledge table's vocabulary;
 * the frames a paste adds (`- `, `> `, BBCode) and notes. Then the small damage real logs show: a cut line, doubled or
 * missing spaces, a changed character, mixed line endings.
 */
import type { ByteSource } from './bytes';

const CONNECTIONS = ['Pre-share', 'Demo', 'Balt Corporate Access', 'My Connections\\Test', 'x'];
const EXCHANGES = ['MM', 'AG', 'QM', 'INFO', 'TRANS', 'NGM', 'XX'];
const PAYLOADS = [
  'SA',
  'KE',
  'NON',
  'ID',
  'HASH',
  'SIG',
  'CERT',
  'CERT_REQ',
  'VID',
  'DEL',
  'NAT-D',
  'NATD',
  'NAT-OA',
  'ATTR',
  'FOO',
];
const NOTIFIES = [
  'STATUS_INITIAL_CONTACT',
  'STATUS_RESP_LIFETIME',
  'NOTIFY_CONNECTED',
  'NO_PROPOSAL_CHOSEN',
  'INVALID_COOKIE',
  'UNKNOWN_99',
];
const VIDS = ['Xauth', 'dpd', 'Frag', 'Nat-T', 'Unity', 'Unknown'];
const ADDRESSES = ['<peer>', '<your address>', '10.1.1.1', '192.168.0.1', '0.0.0.0'];
const EOLS = ['\n', '\n', '\n', '\r\n', '\r', ''];

function hexByte(s: ByteSource): string {
  return s.u8().toString(16);
}

function time(s: ByteSource): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(s.int(0, 23))}:${two(s.int(0, 59))}:${two(s.int(0, 59))}.${String(s.int(0, 999)).padStart(3, '0')}`;
}

function payloadList(s: ByteSource, cisco: boolean): string {
  if (s.chance(8)) return 'Retransmission';
  const items = Array.from({ length: s.int(0, 7) }, () => {
    const kind = s.int(0, 9);
    if (kind === 0) return `NOTIFY:${s.pick(NOTIFIES)}`;
    if (kind === 1 && cisco) return `VID(${s.pick(VIDS)})`;
    if (kind === 2 && cisco) return `NOTIFY:${s.pick(NOTIFIES)}`;
    return s.pick(PAYLOADS);
  });
  return items.join(s.chance(10) ? ',' : ', ');
}

function ikeMessage(s: ByteSource, cisco: boolean): string {
  return `ISAKMP OAK ${s.pick(EXCHANGES)} ${s.chance(2) ? '*' : ''}(${payloadList(s, cisco)})`;
}

function prefix(s: ByteSource, timed: boolean): string {
  const t = timed ? `${time(s)} ` : '';
  return s.chance(6) ? t : `${t}${s.pick(CONNECTIONS)} - `;
}

function clientId(s: ByteSource): string {
  const id = s.chance(3)
    ? `IP SUBNET/MASK=10.0.0.0/255.255.255.0`
    : `IP ADDR=${s.chance(4) ? ' ' : ''}${s.pick(ADDRESSES)}`;
  return `${id}, prot = ${s.pick([0, 17, 6])} port = ${s.pick([0, 500, 4500])}`;
}

function safenetLine(s: ByteSource, timed: boolean): string {
  const p = prefix(s, timed);
  switch (s.int(0, 14)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return `${p}${s.pick(['SENDING>>>> ', 'RECEIVED<<<< ', 'RECEIVED<<< '])}${ikeMessage(s, false)}`;
    case 4:
      return `${p}Initiating IKE Phase 1 (IP ADDR=${s.pick(ADDRESSES)})`;
    case 5:
      return `${p}Established IKE SA`;
    case 6:
      return `   ${s.pick(['MY', 'HIS'])} COOKIE ${Array.from({ length: s.pick([8, 8, 7, 9]) }, () => hexByte(s)).join(' ')}`;
    case 7:
      return `${p}Initiating IKE Phase 2 with Client IDs (message id: ${s.u32().toString(16).toUpperCase()})`;
    case 8:
      return `  ${s.pick(['Initiator', 'Responder'])} = ${clientId(s)}`;
    case 9: {
      const id = s.u32().toString(16).toUpperCase();
      return `${p}Loading IPsec SA (Message ID = ${id}) OUTBOUND SPI = ${s.u32().toString(16).toUpperCase()} INBOUND SPI = ${s.u32().toString(16).toUpperCase()})`;
    }
    case 10:
      return `${p}message not received! Retransmitting!`;
    case 11:
      return `${p}Exceeded ${s.int(0, 9)} IKE SA negotiation attempts`;
    case 12:
      return `Received ${s.pick(NOTIFIES)} message`;
    case 13:
      return 'Exceeded retry attempts - deleting IPSec Security Association';
    default:
      return s.chance(2) ? '' : 'a note pasted into the log';
  }
}

function ciscoRecord(s: ByteSource, n: number): string {
  const date = s.chance(2) ? '01/24/06' : '01/24/2006';
  const sev = `Sev=${s.pick(['Info', 'Warning', 'Debug', 'Critical'])}/${s.int(1, 6)}`;
  const cls = s.pick(['IKE', 'CM', 'CVPND', 'CLI', 'GUI', 'CERT']);
  const head = `${n}${' '.repeat(s.int(1, 6))}${time(s)}  ${date}  ${sev}\t${cls}/0x${s.u32().toString(16).padStart(8, '0').toUpperCase()}`;
  const body = s.chance(2)
    ? `${s.pick(['SENDING >>> ', 'RECEIVED <<< '])}${ikeMessage(s, true)} ${s.pick(['to', 'from'])} ${s.pick(ADDRESSES)}`
    : s.pick(['Initializing ISAKMP library', 'Deleting IKE SA', 'Attempting to establish a connection with 10.1.1.1.']);
  return `${head}\n${body}`;
}

function gatewayLine(s: ByteSource): string {
  const cookie = Array.from({ length: 8 }, () => s.u8().toString(16).padStart(2, '0')).join('');
  return `${s.pick(['RECEIVED<<< ', 'SENDING>>>> '])}ISAKMP OAK ${s.pick(EXCHANGES)} (InitCookie 0x${cookie}, MsgID: 0x${s.u32().toString(16)}) (${payloadList(s, false)}) 10.0.0.1, 500 10.0.0.2, 500`;
}

/** Messages of the knowledge table (Log Viewer bodies, vpnclient output, SonicWALL), some with their fields varied. */
const KNOWN = [
  'Begin connection with VPN server 198.51.100.7',
  'Peer supports DPD',
  'Automatic NAT Detection Status:',
  '   Remote end is NOT behind a NAT device',
  'Unable to establish Phase 1 SA with server "203.0.113.20" because of "DEL_REASON_PEER_NOT_RESPONDING"',
  'Phase 1 SA deleted cause by "DEL_REASON_RESET_SADB".  0 Crypto Active IKE SA, 0 User Authenticated IKE SA in the system',
  'Launch xAuth application',
  'MODE_CFG_REPLY: Attribute = INTERNAL_IPV4_ADDRESS: , value = 10.20.30.40',
  'One secure connection established',
  'Delete Reason Code: 4 --> PEER_DELETE-IKE_DELETE_UNSPECIFIED.',
  'Initializing the VPN connection.',
  'Contacting the gateway at 198.51.100.9 (balancing)',
  'Initiating TCP to 203.0.113.20, port 10000',
  'User Authentication for branch-office...',
  'Username [jdoe]:',
  'Negotiating security policies.',
  'Securing communication channel.',
  'Your VPN connection is secure.',
  'NAT passthrough is active on port UDP 4500',
  'Local LAN Access is disabled',
  'Secure VPN Connection terminated locally by the Client',
  'Secure VPN Connection terminated by Peer.',
  'Reason: Firewall Policy Mismatch',
  'Reason 442: Failed to enable Virtual Adapter.',
  'Reason: Remote peer is no longer responding.',
  'bind: Address already in use',
  'bind: dst addr 0.0.0.0 port 500',
  'cannot find interface for address: 192.168.11.23',
  '$ sudo vpnclient connect branch-office',
  'C:\\Program Files\\Cisco Systems\\VPN Client>vpnclient.exe connect "Head Office"',
  'IKE Responder: Received Aggressive Mode request (Phase 1)',
  'IKE Responder: Aggressive Mode complete (Phase 1)',
  'IKE Initiator: Start Quick Mode (Phase 2).',
  'IKE Responder: Remote party timeout - Retransmitting IKE request.',
  'IKE negotiation aborted due to timeout sonicwall.ip openswan.ip',
  'Header verification failed openswan.ip, 500 sonicwall.ip, 500',
  'Received packet retransmission. Drop duplicate packet',
  'NAT Discovery : Peer IPSec Security Gateway behind a NAT/NAPT Device',
  'IKE Responder: Proposed IKE ID mismatch',
  'Received notify: INVALID_ID_INFO',
  'IPSec proposal not acceptable',
];
const NOTES = ['[These last two appear three times each]', '...', '[code]', '[/code]', 'Quote from jdoe:'];
const QUOTES = ['- ', '> ', '>> ', '[SIZE="1"][INDENT]', '[code]', '  3. ', '- > '];
const QUOTE_ENDS = ['[/INDENT][/SIZE]', '[/code]', '[/COLOR]'];
const PRIORITIES = ['Info', 'Warning', 'Error', 'Debug', 'Notice'];

function knownLine(s: ByteSource): string {
  if (s.chance(8)) return s.pick(NOTES);
  const line = s.pick(KNOWN);
  // Vary a field: an address, a number, a reason.
  return s.chance(4) ? line.replace(/\d+(?=\D*$)/, String(s.u32() % 100000)) : line;
}

/** A SonicWALL row around a message: the export (tabs, a row number), its copy (runs of spaces), or syslog. */
function sonicwallRow(s: ByteSource, message: string, n: number): string {
  const stamp = `03/02/2012 ${time(s)}`;
  const src = s.pick(['198.51.100.7, 500', '198.51.100.7, 4500 (jdoe)', '', 'openswan.ip, 500']);
  const dst = s.pick(['203.0.113.20, 500', '', 'sonicwall.ip, 62465']);
  const notes = s.pick(['VPN Policy: WAN GroupVPN', 'VPN Policy NOT found for proposed ID type: KEY ID', '']);
  switch (s.int(0, 2)) {
    case 0:
      return `${n}\t${stamp}\t${s.pick(PRIORITIES)}\tVPN IKE\t${message}\t${src}\t${dst}\t${notes}\t `;
    case 1:
      return [stamp, s.pick(PRIORITIES), 'VPN IKE', message, src, dst, notes].join(' '.repeat(s.int(2, 5)));
    default:
      return `<134>id=firewall sn=0017C5000001 time="2012-03-02 ${time(s).slice(0, 8)} UTC" fw=203.0.113.20 pri=${s.int(0, 7)} c=${s.pick([0, 1024])} m=${s.int(0, 1200)} msg="${message}" n=${s.int(0, 99999)} src=198.51.100.7:500:X1 dst=203.0.113.20:500:X1${s.chance(2) ? ` note="${notes}"` : ''}`;
  }
}

/** What a paste puts around a line. */
function framed(s: ByteSource, line: string): string {
  if (!s.chance(3)) return line;
  const lead = s.pick(QUOTES);
  return `${lead}${line}${lead.startsWith('[') && s.chance(2) ? s.pick(QUOTE_ENDS) : ''}`;
}

/** Damage a line the way pasting and copying do. */
function damage(s: ByteSource, line: string): string {
  if (line.length === 0 || !s.chance(5)) return line;
  const at = s.int(0, line.length - 1);
  switch (s.int(0, 4)) {
    case 0:
      return line.slice(0, at);
    case 1:
      return `${line.slice(0, at)} ${line.slice(at)}`;
    case 2:
      return line.replace(/ {2,}|\t/, ' ');
    case 3:
      return `${line.slice(0, at)}${String.fromCharCode(s.pick([32, 9, 40, 41, 42, 44, 58, 61, 0xe9, 0xfffd]))}${line.slice(at + 1)}`;
    default:
      return `${line.slice(0, at)}${line.slice(at + 1)}`;
  }
}

/** A whole log in one dialect (or a mixture), with chosen line endings. */
export function buildLog(s: ByteSource): string {
  const dialect = s.int(0, 5);
  const timed = s.chance(2);
  const lines: string[] = [];
  if (dialect === 1) {
    lines.push(
      'Cisco Systems VPN Client Version 4.8.01 (0640)',
      'Copyright (C) 1998-2005 Cisco Systems, Inc. All Rights Reserved.',
      'Client Type(s): Linux',
      'Running on: Linux 2.6.12 #1 i686',
      '',
    );
  }
  const count = s.int(1, 24);
  for (let i = 1; i <= count; i++) {
    const kind = dialect === 3 ? s.int(0, 4) : dialect;
    const line =
      kind === 0
        ? safenetLine(s, timed)
        : kind === 1
          ? ciscoRecord(s, i)
          : kind === 2
            ? gatewayLine(s)
            : kind === 4
              ? knownLine(s)
              : sonicwallRow(s, s.chance(4) ? gatewayLine(s) : knownLine(s), i);
    lines.push(damage(s, framed(s, line)));
  }
  const eol = s.pick(EOLS.slice(0, 4));
  return lines
    .map((line, i) => line + (i === lines.length - 1 ? s.pick(EOLS) : s.chance(10) ? s.pick(EOLS) : eol))
    .join('');
}
