/**
 * The knowledge table: every message the grammar knows by its wording (the Cisco VPN Client's Log Viewer messages, the
 * `vpnclient` command line's status lines, SonicWALL's IKE messages), what it means, and the evidence it gives the
 * diagnosis. Data, not code: the parser reads lines with `pattern`, `explain` prints `meaning`, `diagnose` reads
 * `signal` (and `nextStep` where the message names its own fix). Sources are in the README and in
 * corpus/tools/logs.meta.json; rows marked `unverified` come from memory of these logs and were not found in a source.
 */

/** The log family a message belongs to. */
export type Family = 'vpnclient-log' | 'vpnclient-cli' | 'sonicwall';

/** What a message tells the diagnosis. */
export type Signal =
  /** A connection attempt starts (phase 1); `peer` is in the values when the message names it. */
  | 'attempt'
  /** The peer address of the attempt under way (a redirect names the new one). */
  | 'peer'
  /** Phase 1 is under way or done: the peer answered phase 1 (an XAUTH request, a phase-1 answer). */
  | 'phase1-progress'
  /** Phase 1 is established. */
  | 'phase1-up'
  /** Phase 2 starts. */
  | 'phase2-start'
  /** Phase 2 (the IPsec SA, the tunnel) is established. */
  | 'phase2-up'
  /** A message was resent: no answer came in time. */
  | 'retransmit'
  /** The negotiation was given up because the peer did not answer. */
  | 'no-response'
  /** The negotiation timed out: no answer, unless the peer was answering (then the exchange was rejected). */
  | 'timeout'
  /** The peer's messages arrive but fail verification (a key, ID or proposal mismatch), or the peer resends its own. */
  | 'peer-answering-rejected'
  /** The peer's phase-1 identity matches no policy. */
  | 'id-mismatch-1'
  /** Phase 2's proxy IDs (networks) do not match. */
  | 'id-mismatch-2'
  /** A phase-1 proposal was rejected. */
  | 'proposal-rejected-1'
  /** A phase-2 proposal was rejected. */
  | 'proposal-rejected-2'
  /** Phase-1 authentication failed (pre-shared key, group password, certificate). */
  | 'auth-failed'
  /** User authentication (XAUTH) failed. */
  | 'xauth-failed'
  /** A notify the peer sent: `values.notify` names it. */
  | 'notify'
  /** A `DEL_REASON_…` code in `values.reason` says why an SA went away. */
  | 'del-reason'
  /** The peer closed the connection. */
  | 'teardown-peer'
  /** This side closed the connection (its reason follows on a `Reason:` line). */
  | 'teardown-local'
  /** A `Reason:` line: `values.reason` (and `values.code`) is looked up in {@link REASONS}. */
  | 'reason'
  /** Port 500 is held by another IKE service on this machine. */
  | 'port-in-use'
  /** The local interface (address) went away. */
  | 'interface-lost'
  /** The connection was lost after it was up. */
  | 'lost'
  /** Background information: no evidence of an outcome. */
  | 'info';

/** One message of the table. */
export interface KnownMessage {
  /** Stable identifier: `<family>.<name>`. */
  readonly id: string;
  readonly family: Family;
  /**
   * The message, anchored; named groups become the event's `values`. Case-insensitive; runs of spaces match any
   * whitespace.
   */
  readonly pattern: RegExp;
  /** What the message means, in plain words. */
  readonly meaning: string;
  /** The evidence it gives the diagnosis. */
  readonly signal: Signal;
  /** Where the message names its own fix, that fix. */
  readonly nextStep?: string;
}

/** `198.51.100.7, 500` (a SonicWALL endpoint; host names and redactions such as `sonicwall.ip` too). */
const EP = String.raw`[^\s,]+,\s*\d{1,5}(?:\s+\([^()]*\))?`;
/**
 * SonicWALL messages pasted without their column separators carry the source and destination glued on:
 * `Header verification failed 198.51.100.7, 500 203.0.113.20, 500`, or bare addresses after a timeout.
 */
const TAIL = String.raw`(?:\s+(?<source>${EP})\s+(?<destination>${EP})|\s+(?<sourceHost>[0-9A-Za-z.:*_-]+\.[0-9A-Za-z.:*_-]+)\s+(?<destinationHost>[0-9A-Za-z.:*_-]+\.[0-9A-Za-z.:*_-]+))?`;
const HOST = String.raw`(?<peer>[^\s"()]*[^\s"().])`;

function m(
  id: string,
  family: Family,
  source: string,
  signal: Signal,
  meaning: string,
  nextStep?: string,
): KnownMessage {
  const tail = family === 'sonicwall' ? TAIL : '';
  const body = source.replace(/ (?![?*+])/g, String.raw`[ \t]+`);
  // A SonicWALL message keeps its wording in `message`, apart from the endpoints glued on.
  const pattern = new RegExp(family === 'sonicwall' ? `^(?<message>${body})${tail}[ \t]*$` : `^${body}[ \t]*$`, 'i');
  return nextStep === undefined
    ? { id: `${family}.${id}`, family, pattern, meaning, signal }
    : { id: `${family}.${id}`, family, pattern, meaning, signal, nextStep };
}

const V: Family = 'vpnclient-log';
const C: Family = 'vpnclient-cli';
const S: Family = 'sonicwall';

const FIREWALL_NEXT =
  'The gateway requires a client firewall policy this client cannot meet: ask the gateway administrator to relax the group’s firewall requirement (Linux and Mac clients have no such firewall) or use a client that has it.';

/** Every message the grammar knows by its wording. */
export const KNOWN_MESSAGES: readonly KnownMessage[] = [
  // --- Cisco VPN Client Log Viewer message lines (record bodies) ---------------------------------------------------
  m(
    'begin',
    V,
    `Begin connection with VPN server ${HOST}`,
    'attempt',
    'The client begins a connection to the VPN server.',
  ),
  m('attempt', V, `Attempt connection with server "?${HOST}"?`, 'attempt', 'The client contacts the server.'),
  m(
    'establish',
    V,
    String.raw`Attempting to establish a connection with ${HOST}\.?`,
    'attempt',
    'IKE starts a connection to the peer.',
  ),
  m(
    'secure',
    V,
    `Establish secure connection(?: using (?<medium>.+))?`,
    'info',
    'The connection manager asks for a secure connection.',
  ),
  m(
    'unity',
    V,
    `Peer is a Cisco-Unity compliant peer`,
    'phase1-progress',
    'The peer’s vendor ID says it is a Cisco Unity gateway (it answered).',
  ),
  m(
    'supports',
    V,
    `Peer supports (?<feature>XAUTH|DPD|NAT-T|IKE fragmentation payloads)`,
    'phase1-progress',
    'The peer announced a capability in its vendor IDs (it answered).',
  ),
  m('ios-vid', V, `IOS Vendor ID Cont?struction successful`, 'info', 'The client built its Cisco IOS vendor ID.'),
  m('nat-status', V, `Automatic NAT Detection Status:`, 'info', 'NAT detection result follows (NAT-T).'),
  m(
    'nat-remote',
    V,
    `Remote end (?<nat>is NOT|IS) behind a NAT device`,
    'info',
    'NAT detection: whether the gateway is behind NAT.',
  ),
  m(
    'nat-local',
    V,
    `This end (?<nat>is NOT|IS) behind a NAT device`,
    'info',
    'NAT detection: whether this client is behind NAT (then IKE and ESP move to UDP 4500).',
  ),
  m(
    'port',
    V,
    `IKE Port in use - Local Port = (?<local>0x[0-9A-F]+), Remote Port = (?<remote>0x[0-9A-F]+)`,
    'info',
    'The IKE ports in use, in hex (0x01F4 = 500, 0x1194 = 4500 for NAT-T).',
  ),
  m(
    'terminate',
    V,
    `IKE received signal to terminate VPN connection`,
    'teardown-local',
    'The user or the connection manager ended the connection.',
  ),
  m(
    'unable-p1',
    V,
    `Unable to establish Phase 1 SA with server "?${HOST}"? because of "?(?<reason>DEL_REASON_[A-Z_]+)"?`,
    'del-reason',
    'Phase 1 could not be established; the reason code says why.',
  ),
  m(
    'p1-deleted',
    V,
    String.raw`Phase 1 SA deleted (?<before>before first Phase 2 SA is up )?cause by "?(?<reason>DEL_REASON_[A-Z_]+)"?\.?(?: .*)?`,
    'del-reason',
    'The IKE SA was deleted; the reason code says why.',
  ),
  m(
    'xauth-launch',
    V,
    `Launch xAuth application`,
    'phase1-progress',
    'The gateway asked for the user name and password (XAUTH): phase 1 is up.',
  ),
  m('xauth-return', V, `xAuth application returned`, 'info', 'The user answered the XAUTH prompt.'),
  m(
    'mode-cfg',
    V,
    `Mode Config data received`,
    'info',
    'The gateway sent the mode-config data (address, DNS, split tunnel).',
  ),
  m(
    'mode-cfg-attr',
    V,
    `MODE_CFG_REPLY: Attribute = (?<attribute>[A-Z0-9_]+)(?<detail>[^,]*), value = (?<value>.*)`,
    'info',
    'One mode-config attribute the gateway assigned.',
  ),
  m(
    'key-request',
    V,
    String.raw`Received a key request from Driver: Local IP = (?<local>\S+), GW IP = (?<gateway>\S+), Remote IP = (?<remote>\S+)`,
    'phase2-start',
    'The driver asks IKE for IPsec keys: phase 2 starts.',
  ),
  m(
    'lifetime-notify',
    V,
    String.raw`RESPONDER-LIFETIME notify has value of (?<seconds>\d+) seconds`,
    'info',
    'The gateway states the SA lifetime.',
  ),
  m(
    'alive',
    V,
    String.raw`This SA has already been alive for (?<seconds>\d+) seconds, setting expiry to (?<expiry>\d+) seconds from now`,
    'info',
    'Lifetime bookkeeping of an SA.',
  ),
  m('one-secure', V, `One secure connection established`, 'phase2-up', 'The tunnel is up.'),
  m(
    'address-watch',
    V,
    String.raw`Address watch added for (?<address>\S+)\. Current address\(s\): (?<current>.*)`,
    'info',
    'The client watches its address for changes.',
  ),
  m(
    'registry-flag',
    V,
    String.raw`Set tunnel established flag in registry to (?<flag>[01])\.`,
    'info',
    'Windows bookkeeping of the tunnel state.',
  ),
  m('driver-started', V, `IPSec driver successfully started`, 'info', 'The IPsec driver runs.'),
  m('keys-deleted', V, `Deleted all keys`, 'info', 'The driver dropped all IPsec keys (at start and at teardown).'),
  m('key-struct', V, `Created a new key structure`, 'info', 'The driver prepares an IPsec key.'),
  m('key-added', V, `Added key with SPI=(?<spi>0x[0-9A-F]+) into key list`, 'info', 'An IPsec key was installed.'),
  m(
    'key-activate',
    V,
    `Activate outbound key with SPI=(?<outbound>0x[0-9A-F]+) for inbound key with SPI=(?<inbound>0x[0-9A-F]+)`,
    'phase2-up',
    'Both IPsec keys of the SA are active: the tunnel carries traffic.',
  ),
  m('key-delete', V, `Delete internal key with SPI=(?<spi>0x[0-9A-F]+)`, 'info', 'An IPsec key was removed.'),
  m('key-deleted', V, `Key deleted by SPI (?<spi>0x[0-9A-F]+)`, 'info', 'An IPsec key was removed.'),
  m(
    'delete-reason',
    V,
    String.raw`Delete Reason Code: (?<code>\d+) --> (?<reason>[A-Z_-]+)\.?`,
    'teardown-peer',
    'The peer deleted the SA and said why (Cisco delete with reason).',
  ),
  m(
    'malformed',
    V,
    String.raw`Received malformed message or negotiation no longer active \(message id: (?<messageId>0x[0-9A-F]+)\)`,
    'auth-failed',
    'A message could not be read: usually the group password differs, or the negotiation was already gone.',
    'Check the group password (the pre-shared key of the group) in the connection entry against the gateway’s group.',
  ),
  m(
    'auth-peer',
    V,
    String.raw`Failed to authenticate peer \(Navigator:(?<navigator>\d+)\)`,
    'auth-failed',
    'The peer’s authentication did not verify: the group password or certificate differs.',
    'Check the group name and group password (or the certificate and its CA) against the gateway.',
  ),
  m(
    'sw-error',
    V,
    String.raw`Unexpected SW error occurred while processing (?<what>.+?) negotiator:\(Navigator:(?<navigator>\d+)\)`,
    'info',
    'An internal error of the client’s IKE code.',
  ),
  m(
    'purge',
    V,
    String.raw`Unable to purge old log files\. Function returned (?<rc>-?\d+)\.`,
    'info',
    'Log housekeeping failed (harmless).',
  ),
  m('mtu', V, String.raw`Privilege Separation: restoring MTU on primary interface\.`, 'info', 'cvpnd start-up.'),
  m('auto-init', V, `Auto-initiation watch: (?<state>.+)`, 'info', 'The auto-initiation monitor.'),
  m('started', V, `Started (?<program>cvpnd|vpnclient):`, 'info', 'A client program started; its banner follows.'),
  m(
    'enum-ppp',
    V,
    String.raw`GI EnumPPP callback timed out\.`,
    'info',
    'The GUI enumerating dial-up entries (harmless).',
  ),
  m('cert-find', V, String.raw`Attempting to find a Certificate using (?<by>.+?)\.`, 'info', 'Certificate selection.'),
  m('cert-found', V, String.raw`Found a Certificate using (?<by>.+?)\.`, 'info', 'A certificate was selected.'),
  m('cert-expired', V, `Skipping expired certificate (?<subject>.+)`, 'info', 'An expired certificate is not offered.'),
  m('cvpndrv', V, `Initializing CVPNDrv`, 'info', 'The virtual adapter driver starts.'),
  m(
    'firewall-mode',
    V,
    String.raw`Configured the firewall in (?<mode>.+?) mode\.`,
    'info',
    'The client firewall policy in use.',
  ),
  m('firewall-policy', V, `Firewall Policy: (?<policy>.+)`, 'info', 'The firewall policy the gateway pushed.'),
  m(
    'discard-p2',
    V,
    `Discarding IPsec SA negotiation, MsgID=(?<messageId>[0-9A-F]+)`,
    'info',
    'A phase-2 negotiation was abandoned.',
  ),

  // --- `vpnclient connect` command-line output ------------------------------------------------------------------
  m('initializing', C, String.raw`Initializing the VPN connection\.?`, 'info', 'The client starts a connection.'),
  m(
    'contacting',
    C,
    String.raw`Contacting the gateway at ${HOST}(?<balancing> \(balancing\))?`,
    'attempt',
    'The client contacts the gateway (with “(balancing)”: the cluster redirected it to this member).',
  ),
  m(
    'contacting-elided',
    C,
    String.raw`Contacting the gateway(?: at)? ?\.\.\.`,
    'attempt',
    'The client contacts the gateway (the address was cut from the paste).',
  ),
  m(
    'tcp',
    C,
    String.raw`Initiating TCP to ${HOST}, port (?<port>\d{1,5})`,
    'attempt',
    'IPsec over TCP: the client opens a TCP connection to the gateway first.',
  ),
  m(
    'user-auth',
    C,
    String.raw`User Authentication for (?<profile>.*?)\.\.\.`,
    'phase1-progress',
    'The gateway asks for the user name and password (XAUTH): phase 1 is up.',
  ),
  m('enter-credentials', C, String.raw`Enter Username and Password\.`, 'info', 'XAUTH prompt.'),
  m(
    'server-requests',
    C,
    `The server has requested the following information to complete the user authentication:`,
    'info',
    'XAUTH prompt.',
  ),
  m('username', C, String.raw`Username \[(?<default>[^\]]*)\]:(?: ?(?<answer>.*))?`, 'info', 'XAUTH user name prompt.'),
  m('password', C, String.raw`Password \[[^\]]*\]:.*`, 'info', 'XAUTH password prompt.'),
  m(
    'group-password',
    C,
    `Enter a group password:.*`,
    'info',
    'The profile has no group password: the client asks for it.',
  ),
  m('authenticating', C, String.raw`Authenticating user\.`, 'info', 'The client sends the credentials (XAUTH).'),
  m(
    'negotiating',
    C,
    String.raw`Negotiating security policies\.`,
    'phase1-up',
    'User authentication passed; mode config and phase 2 follow.',
  ),
  m(
    'securing',
    C,
    String.raw`Securing communication channel\.`,
    'phase2-start',
    'Phase 2 (the IPsec SA) is being negotiated.',
  ),
  m('connection-secure', C, String.raw`Your VPN connection is secure\.`, 'phase2-up', 'The tunnel is up.'),
  m('not-active', C, String.raw`Your VPN connection is not active\.`, 'info', 'No tunnel is up (vpnclient stat).'),
  m(
    'continue',
    C,
    String.raw`Do you wish to continue\? \(y\/n\):(?: ?(?<answer>.*))?`,
    'info',
    'The gateway’s banner asks for confirmation.',
  ),
  m('tunnel-info', C, String.raw`VPN tunnel information\.`, 'info', 'The tunnel summary follows.'),
  m('entry', C, `Connection Entry: (?<profile>.*)`, 'info', 'The profile in use.'),
  m(
    'client-address',
    C,
    String.raw`Client address: (?<address>\S+)`,
    'info',
    'The address the gateway assigned to this client.',
  ),
  m('server-address', C, String.raw`Server address: (?<address>\S+)`, 'info', 'The gateway the tunnel ends at.'),
  m('encryption', C, `Encryption: (?<encryption>.+)`, 'info', 'The tunnel’s encryption.'),
  m('authentication', C, `Authentication: (?<authentication>.+)`, 'info', 'The tunnel’s integrity algorithm.'),
  m('compression', C, `IP Compression: (?<compression>.+)`, 'info', 'IP compression in the tunnel.'),
  m(
    'nat-active',
    C,
    String.raw`NAT passthrough is active on port (?<transport>UDP|TCP) (?<port>\d{1,5})`,
    'info',
    'NAT traversal: IPsec runs over UDP 4500 (NAT-T), UDP 10000 (Cisco IPsec over UDP) or TCP (IPsec over TCP).',
  ),
  m('nat-inactive', C, `NAT passthrough is inactive`, 'info', 'No NAT traversal: plain ESP.'),
  m(
    'lan-access',
    C,
    `Local LAN Access is (?<state>enabled|disabled)`,
    'info',
    'Whether the local network stays reachable during the tunnel.',
  ),
  m('traffic', C, String.raw`VPN traffic summary\.`, 'info', 'Traffic counters follow (vpnclient stat).'),
  m('time-connected', C, `Time connected: (?<duration>.+)`, 'phase2-up', 'How long the tunnel has been up.'),
  m(
    'counter',
    C,
    String.raw`(?<counter>Bytes in|Bytes out|Packets encrypted|Packets decrypted|Packets bypassed|Packets discarded): (?<value>\d+)`,
    'info',
    'A traffic counter.',
  ),
  m('routes', C, String.raw`Configured routes\.`, 'info', 'The routes follow (vpnclient stat).'),
  m(
    'route-head',
    C,
    `(?<scope>Secured|Local)? *Network Destination +Netmask(?: +Bytes)?`,
    'info',
    'Route table heading.',
  ),
  m(
    'route',
    C,
    String.raw`(?<scope>Secured|Local)? *(?<network>\d{1,3}(?:\.\d{1,3}){3}) +(?<mask>\d{1,3}(?:\.\d{1,3}){3})(?: +(?<bytes>\d+))?`,
    'info',
    'A route through (Secured) or around (Local) the tunnel.',
  ),
  m(
    'terminated-local',
    C,
    String.raw`Secure VPN Connection terminated locally by the Client\.?`,
    'teardown-local',
    'This side ended the connection; the Reason line says why.',
  ),
  m(
    'terminated-peer',
    C,
    String.raw`Secure VPN Connection terminated by (?:the )?Peer\.?`,
    'teardown-peer',
    'The gateway ended the connection; the Reason line says why.',
  ),
  m('reason', C, String.raw`Reason(?: (?<code>\d{3}))?: (?<reason>.*)`, 'reason', 'Why the connection ended.'),
  m(
    'no-notifications',
    C,
    String.raw`There are no new notification messages at this time\.?`,
    'info',
    'End of the notification output.',
  ),
  m(
    'terminated-on',
    C,
    `Connection terminated on: (?<when>.*?)(?: +Duration: (?<duration>.*))?`,
    'info',
    'When the connection ended and how long it lasted.',
  ),
  m('disconnecting', C, String.raw`Disconnecting the VPN connection\.`, 'info', 'The client takes the tunnel down.'),
  m(
    'bind-in-use',
    C,
    `bind: Address already in use`,
    'port-in-use',
    'Another program already holds UDP port 500 (or 4500) on this machine.',
    'Stop the other IKE service on this machine (racoon, pluto/libreswan, strongSwan charon, isakmpd, vpnc, or Windows’ IKEEXT/PolicyAgent) so the client can bind UDP 500 and 4500, then connect again.',
  ),
  m(
    'bind-port',
    C,
    String.raw`bind: dst addr (?<address>\S+) port (?<port>\d{1,5})`,
    'port-in-use',
    'The address and port the client failed to bind.',
    'Stop the other IKE service on this machine (racoon, pluto/libreswan, strongSwan charon, isakmpd, vpnc, or Windows’ IKEEXT/PolicyAgent) so the client can bind UDP 500 and 4500, then connect again.',
  ),
  m(
    'bind-other',
    C,
    `bind: (?<error>.+)`,
    'port-in-use',
    'The client could not bind its IKE port.',
    'Stop the other IKE service on this machine (racoon, pluto/libreswan, strongSwan charon, isakmpd, vpnc, or Windows’ IKEEXT/PolicyAgent) so the client can bind UDP 500 and 4500, then connect again.',
  ),
  m(
    'no-interface',
    C,
    String.raw`cannot find interface for address:? (?<address>\S+)`,
    'interface-lost',
    'The local interface that had this address is gone (a network change, a lost DHCP lease, a second interface).',
    'Keep one network interface up with a stable address while the tunnel runs (turn off the second wired or wireless interface), then connect again.',
  ),
  m('usage', C, `Usage:`, 'info', 'The client’s usage text follows (bad arguments).'),
  m(
    'usage-line',
    C,
    String.raw`(?:\S*[\\/])?vpnclient(?:\.exe)? (?<command>connect|disconnect|stat|notify|verify|suspendfw|resumefw)(?: (?<arguments>.*))?`,
    'info',
    'A usage line of the client.',
  ),
  m('usage-options', C, String.raw`\[(?:nocertpwd|eraseuserpwd)\].*`, 'info', 'A usage line of the client.'),
  m(
    'command',
    C,
    String.raw`(?<prompt>.*?[$#%>]) ?(?:sudo )?(?:\S*[\\/])?vpnclient(?:\.exe)? (?<command>connect|disconnect|stat|notify|verify)(?: +(?:"|“)?(?<profile>[^"”\s]+)(?:"|”)?)?(?<arguments>.*)`,
    'info',
    'The shell command that produced the output (it names the profile).',
  ),

  // --- SonicWALL (SonicOS) IKE messages ----------------------------------------------------------------------------
  m(
    'am-request',
    S,
    String.raw`IKE Responder: Received Aggressive Mode request \(Phase 1\)`,
    'attempt',
    'The peer starts aggressive mode; the gateway answers as responder.',
  ),
  m(
    'mm-request',
    S,
    String.raw`IKE Responder: Received Main Mode Request \(Phase 1\)`,
    'attempt',
    'The peer starts main mode; the gateway answers as responder.',
  ),
  m(
    'start-p1',
    S,
    String.raw`IKE Initiator: Start (?<mode>Main|Aggressive) Mode negotiation \(Phase 1\)`,
    'attempt',
    'The gateway starts phase 1 as initiator.',
  ),
  m(
    'am-response',
    S,
    `IKE Initiator: Received Aggressive Mode Response`,
    'phase1-progress',
    'The peer answered the gateway’s aggressive mode.',
  ),
  m(
    'p1-complete',
    S,
    String.raw`IKE (?<role>Initiator|Responder): (?<mode>Main|Aggressive) Mode complete \(Phase 1\)`,
    'phase1-up',
    'Phase 1 is established.',
  ),
  m(
    'start-qm',
    S,
    String.raw`IKE Initiator: Start Quick Mode \(Phase 2\)\.?`,
    'phase2-start',
    'The gateway starts phase 2 as initiator.',
  ),
  m(
    'qm-request',
    S,
    String.raw`IKE Responder: Received Quick Mode Request \(Phase 2\)`,
    'phase2-start',
    'The peer starts phase 2.',
  ),
  m(
    'accept-p2',
    S,
    String.raw`IKE Responder: Accepting IPsec proposal \(Phase 2\)`,
    'info',
    'The gateway accepts the peer’s phase-2 proposal.',
  ),
  m(
    'p2-complete',
    S,
    String.raw`IKE negotiation complete\. Adding IPSec SA\. \(Phase 2\)`,
    'phase2-up',
    'Phase 2 is established: the tunnel is up.',
  ),
  m(
    'retransmit',
    S,
    String.raw`(?:IKE (?:Responder|Initiator): )?Remote party timeout - Retransmitting IKE request\.?`,
    'retransmit',
    'No answer came in time: the gateway resends its last IKE message.',
  ),
  m(
    'no-response',
    S,
    `(?:IKE (?:Responder|Initiator): )?No response - remote party timeout`,
    'no-response',
    'The gateway gave up resending: the peer did not answer.',
  ),
  m('aborted', S, `IKE negotiation aborted due to timeout`, 'timeout', 'The negotiation timed out.'),
  m(
    'header-failed',
    S,
    `Header verification failed`,
    'peer-answering-rejected',
    'The peer’s packet arrived but could not be verified after decryption: the keys differ (a pre-shared-key mismatch), or the peer holds a different IKE SA.',
    'The peer is answering, so connectivity is fine: check the pre-shared key on both ends first, then the phase-1 IDs and proposal.',
  ),
  m(
    'duplicate',
    S,
    String.raw`Received packet retransmission\. Drop duplicate packet`,
    'peer-answering-rejected',
    'The peer resent its message: it did not accept (or did not get) the gateway’s answer.',
    'The peer is answering, so connectivity is fine: check the pre-shared key on both ends first, then the phase-1 IDs and proposal.',
  ),
  m(
    'nat-peer',
    S,
    String.raw`NAT Discovery : Peer IPSec Security Gateway behind a NAT\/NAPT Device`,
    'info',
    'NAT-D: the peer is behind NAT (NAT-T to UDP 4500).',
  ),
  m(
    'nat-local',
    S,
    String.raw`NAT Discovery : Local IPSec Security Gateway behind a NAT\/NAPT Device`,
    'info',
    'NAT-D: this gateway is behind NAT.',
  ),
  m(
    'nat-none',
    S,
    String.raw`NAT Discovery : No NAT\/NAPT device detected between IPsec Security gateways`,
    'info',
    'NAT-D: no NAT between the two ends.',
  ),
  m(
    'id-mismatch',
    S,
    `(?:IKE (?:Responder|Initiator): )?Proposed IKE ID mismatch`,
    'id-mismatch-1',
    'The peer’s phase-1 identity matches no VPN policy on the gateway.',
    'Make the phase-1 IDs match: the local ID the client sends (type and value: IP address, domain name, e-mail or key ID) must be the peer ID the gateway’s policy expects, and the other way round.',
  ),
  m(
    'p2-no-match',
    S,
    String.raw`(?:IKE (?:Responder|Initiator): )?IPsec proposal (?:not acceptable|does not match)(?: \(Phase 2\))?\.?`,
    'proposal-rejected-2',
    'The peer’s phase-2 proposal matches none of the gateway’s.',
  ),
  m(
    'p1-no-match',
    S,
    String.raw`(?:IKE (?:Responder|Initiator): )?IKE proposal does not match(?: \(Phase 1\))?\.?`,
    'proposal-rejected-1',
    'The peer’s phase-1 proposal matches none of the gateway’s.',
  ),
  m('notify', S, `Received notify: (?<notify>[A-Z][A-Z0-9_-]*)`, 'notify', 'The peer sent a notification.'),
  m(
    'psk-mismatch',
    S,
    `Failed payload verification after decryption; possible preshared key mismatch`,
    'auth-failed',
    'After decryption the payload did not verify: the pre-shared keys differ.',
    'Set the same pre-shared key on both ends.',
  ),
  m('lifetime', S, String.raw`IKE SA lifetime is (?<seconds>\d+) seconds`, 'info', 'The IKE SA lifetime.'),
  m(
    'expired',
    S,
    String.raw`(?<sa>IKE|IPsec) SA lifetime expired\.?`,
    'info',
    'An SA reached its lifetime (a rekey follows).',
  ),
  m('delete-request', S, `Received (?<sa>IPsec|IKE SA) Delete Request`, 'teardown-peer', 'The peer deleted an SA.'),
  m('xauth-ok', S, `XAUTH Succeeded with VPN client`, 'phase1-up', 'User authentication passed.'),
  m('xauth-failed', S, `XAUTH Failed with VPN client(?:, (?<why>.+))?`, 'xauth-failed', 'User authentication failed.'),
];

/** A `DEL_REASON_…` code of the Cisco VPN Client: what it means and what it shows. Codes not listed read as `failed`. */
export const DEL_REASONS: Readonly<Record<string, { readonly meaning: string; readonly signal: Signal }>> = {
  DEL_REASON_PEER_NOT_RESPONDING: {
    meaning: 'the peer stopped answering (retransmissions or DPD exhausted)',
    signal: 'no-response',
  },
  DEL_REASON_IKE_NEG_FAILED: {
    meaning: 'the phase-1 negotiation failed (proposal, authentication or ID)',
    signal: 'info',
  },
  DEL_REASON_WE_FAILED_AUTH: {
    meaning: 'this side could not authenticate the peer (group password or certificate)',
    signal: 'auth-failed',
  },
  DEL_REASON_CANNOT_AUTH: { meaning: 'authentication could not be done', signal: 'auth-failed' },
  DEL_REASON_RESET_SADB: {
    meaning: 'the SA database was reset: a normal disconnect by the user',
    signal: 'teardown-local',
  },
  DEL_REASON_LOAD_BALANCING: { meaning: 'the cluster redirected the client to another member', signal: 'info' },
  DEL_REASON_PEER_DELETE: { meaning: 'the peer deleted the SA', signal: 'teardown-peer' },
  DEL_REASON_DELETE_WITH_REASON: { meaning: 'the peer deleted the SA and said why', signal: 'teardown-peer' },
};

/** How a `Reason:` line reads: the outcome it supports and, where the reason names it, the fix. */
export interface ReasonEntry {
  /** The wording (case-insensitive, full stop optional), or the GUI's number. */
  readonly pattern: RegExp;
  readonly code?: number;
  readonly meaning: string;
  /** `lost` is decided by the diagnosis: `no-response` after the tunnel was up reads as lost. */
  readonly signal: Signal | 'local-failure' | 'failed' | 'peer-error';
  /** For local failures: what failed. */
  readonly cause?: string;
  readonly nextStep?: string;
}

/**
 * The reasons the client gives when a connection ends (`Reason: …` on the command line, `Reason 4NN: …` in the GUI).
 * Numbers 412, 433, 440 and 442 were seen in posted logs; 401, 403, 413, 414, 422 and 427 are unverified.
 */
export const REASONS: readonly ReasonEntry[] = [
  {
    pattern: /remote peer is no longer responding/i,
    code: 412,
    meaning: 'the gateway stopped answering',
    signal: 'no-response',
  },
  {
    pattern: /unable to contact the security gateway/i,
    code: 403,
    meaning: 'the gateway never answered',
    signal: 'no-response',
  },
  {
    pattern: /lost contact with the security gateway/i,
    code: 422,
    meaning: 'the gateway stopped answering after the tunnel was up',
    signal: 'lost',
  },
  {
    pattern: /failed to enable virtual adapter/i,
    code: 442,
    meaning: 'the virtual network adapter could not be brought up',
    signal: 'local-failure',
    cause: 'the virtual adapter could not be enabled',
    nextStep:
      'Repair the client’s virtual adapter: on Windows, reinstall the client (and the DNE update) or enable the “Cisco Systems VPN Adapter” in the network connections; on Linux, reload the cisco_ipsec module (`/etc/init.d/vpnclient_init restart`) and keep one network interface up.',
  },
  {
    pattern: /driver failure/i,
    code: 440,
    meaning: 'the client’s driver failed',
    signal: 'local-failure',
    cause: 'the client’s driver failed',
    nextStep: 'Reinstall the client’s driver (and the DNE update on Windows), then reboot.',
  },
  {
    pattern: /user authentication failed/i,
    code: 413,
    meaning: 'the user name or password was rejected (XAUTH)',
    signal: 'xauth-failed',
  },
  {
    pattern: /unknown error occurred at peer/i,
    code: 427,
    meaning: 'the gateway reported an error of its own',
    signal: 'peer-error',
  },
  {
    pattern: /reason not specified by peer/i,
    code: 433,
    meaning: 'the gateway closed the connection without saying why',
    signal: 'teardown-peer',
  },
  {
    pattern: /firewall policy mismatch/i,
    meaning: 'the gateway requires a client firewall policy this client does not run',
    signal: 'teardown-peer',
    nextStep: FIREWALL_NEXT,
  },
  {
    pattern: /unrecognized error occurred while establishing/i,
    code: 401,
    meaning: 'an error the client does not name',
    signal: 'failed',
  },
  {
    pattern: /failed to establish a tcp connection/i,
    code: 414,
    meaning: 'the TCP connection for IPsec over TCP failed',
    signal: 'no-response',
  },
  {
    pattern: /unable to resolve server address/i,
    meaning: 'the gateway’s host name does not resolve',
    signal: 'local-failure',
    cause: 'the gateway’s host name does not resolve',
    nextStep: 'Check the host name in the profile (Host=) and this machine’s DNS settings.',
  },
  {
    pattern: /unable to read the connection entry/i,
    meaning: 'the profile is missing or incomplete',
    signal: 'local-failure',
    cause: 'the connection entry (profile) cannot be read',
    nextStep: 'Check the profile (.pcf) name and its contents: Host, GroupName and the group password.',
  },
  {
    pattern: /failed to establish a vpn connection/i,
    meaning: 'the connection failed (the lines before say why)',
    signal: 'failed',
  },
];

/** The reason a `Reason:` line gives, by its number when it has one, else by its wording. */
export function lookupReason(text: string, code?: number): ReasonEntry | undefined {
  if (code !== undefined) {
    const byCode = REASONS.find((r) => r.code === code);
    if (byCode !== undefined) return byCode;
  }
  return REASONS.find((r) => r.pattern.test(text));
}

/**
 * Log Viewer event IDs (`CLASS/0x…`) seen with a known meaning. The top nibble varies with the severity and version, so
 * IDs are compared on their low 24 bits. Rows from posted logs are marked `seen`; the others are unverified.
 */
export const LOG_VIEWER_IDS: Readonly<Record<string, string>> = {
  'IKE/0x000013': 'sending an ISAKMP OAK message',
  'IKE/0x000014': 'receiving an ISAKMP OAK message',
  'IKE/0x00002F': 'an ISAKMP packet arrived',
  'IKE/0x000001': 'IKE information (peer capabilities, NAT detection)',
  'IKE/0x000021': 'retransmitting the last packet (no answer)',
  'IKE/0x000017': 'marking an IKE SA for deletion (with its DEL_REASON)',
  'IKE/0x00004B': 'discarding an IKE SA negotiation',
  'IKE/0x000049': 'discarding an IPsec SA negotiation',
  'IKE/0x000059': 'loading an IPsec SA (phase 2 done)',
  'IKE/0x000055': 'a key request from the driver (phase 2 starts)',
  'IKE/0x00000D': 'a mode-config attribute',
  'IKE/0x000082': 'the IKE ports in use',
  'IKE/0x000058': 'a malformed message or a negotiation no longer active',
  'IKE/0x000099': 'the peer failed authentication',
  'CM/0x100002': 'connection manager: begin connection',
  'CM/0x100004': 'connection manager: establish secure connection',
  'CM/0x10000E': 'connection manager: phase 1 established',
  'CM/0x100012': 'connection manager: phase 1 deleted before phase 2 came up',
  'CM/0x100013': 'connection manager: phase 1 deleted',
  'CM/0x100014': 'connection manager: unable to establish phase 1',
  'CM/0x100015': 'connection manager: XAUTH prompt',
  'CM/0x10001A': 'connection manager: the tunnel is up',
  'CM/0x100033': 'connection manager: auto-initiation watch (seen)',
  'CVPND/0x40000F': 'cvpnd started (seen)',
  'CVPND/0x40001F': 'cvpnd privilege separation (seen)',
  'CLI/0x900002': 'vpnclient started (seen)',
  'CLI/0x900004': 'log housekeeping (seen)',
  'CERT/0x600026': 'certificate selection (seen)',
  'CERT/0x600027': 'certificate found (seen)',
  'GUI/0xB00003': 'GUI dial-up enumeration (seen)',
  'GUI/0xB00010': 'GUI certificate list (seen)',
  'IPSEC/0x700008': 'IPsec driver started',
  'IPSEC/0x700014': 'IPsec driver: all keys deleted',
};

/** The meaning of a Log Viewer event ID, compared on its low 24 bits. */
export function logViewerIdMeaning(eventClass: string, eventId: string): string | undefined {
  const low = eventId.slice(-6).toUpperCase().padStart(6, '0');
  return LOG_VIEWER_IDS[`${eventClass.toUpperCase()}/0x${low}`];
}

/** A table entry with a cheap test a line must pass before its pattern is worth trying. */
interface Indexed {
  readonly entry: KnownMessage;
  /** The message's literal first word (any case), or what a line must hold for patterns that start otherwise. */
  readonly head: RegExp;
}

/** What lines must hold for the patterns that do not start with a literal word. */
const HEADS: Readonly<Record<string, RegExp>> = {
  'vpnclient-cli.command': /vpnclient/i,
  'vpnclient-cli.usage-line': /vpnclient/i,
  'vpnclient-cli.route-head': /netmask/i,
  'vpnclient-cli.route': /^[ \t]*(?:Secured|Local)?[ \t]*\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}[ \t]/i,
  'vpnclient-cli.usage-options': /^[ \t]*\[(?:nocertpwd|eraseuserpwd)\]/i,
};

/** Index of the table by the first letter of each message (lower case; `*` for patterns that start otherwise). */
const BY_LETTER: ReadonlyMap<string, readonly Indexed[]> = (() => {
  const map = new Map<string, Indexed[]>();
  for (const entry of KNOWN_MESSAGES) {
    const word = /^\^(?:\(\?<message>)?([A-Za-z][A-Za-z-]*)/.exec(entry.pattern.source)?.[1] ?? '';
    const first = word === '' ? '*' : (word[0]?.toLowerCase() ?? '*');
    const head = HEADS[entry.id] ?? new RegExp(`^[ \\t]*${word}`, 'i');
    const list = map.get(first);
    if (list === undefined) map.set(first, [{ entry, head }]);
    else list.push({ entry, head });
  }
  return map;
})();

const NO_ENTRIES: readonly Indexed[] = [];

/** The entry whose pattern reads the whole message, with its named values. */
export function matchKnown(text: string): { entry: KnownMessage; values: Record<string, string> } | undefined {
  let i = 0;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const c = text.charCodeAt(i);
  if (Number.isNaN(c)) return undefined;
  const letter = c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : String.fromCharCode(c);
  const trimmed = text.trim();
  for (const list of [BY_LETTER.get(letter) ?? NO_ENTRIES, BY_LETTER.get('*') ?? NO_ENTRIES])
    for (const { entry, head } of list) {
      if (!head.test(text)) continue;
      const r = entry.pattern.exec(trimmed);
      if (r === null) continue;
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.groups ?? {})) if (v !== undefined) values[k] = v.trim();
      return { entry, values };
    }
  return undefined;
}

/** The table entry of an id. */
export function knownMessage(id: string): KnownMessage | undefined {
  return BY_ID.get(id);
}

const BY_ID: ReadonlyMap<string, KnownMessage> = new Map(KNOWN_MESSAGES.map((k) => [k.id, k]));
