#!/usr/bin/env bash
# Records one IKEv1 exchange between two real IKE daemons, each in its own network namespace, and writes
# corpus/cases/<case>/{capture.pcap|capture.pcapng, NOTES.md, keys.json, ikev1_decryption_table} plus the daemon logs
# (in the work folder printed at the end; with KEEP_LOGS=1 also in the case as charon-a.filelog / charon-b.filelog).
#
#   sudo corpus/tools/capture.sh <scenario>     (the case is named after the scenario)      (needs root; see corpus/README.md; never run in CI)
#
# Topology: namespaces oak-a (192.0.2.1/24) and oak-b (192.0.2.2/24) joined by a veth pair oak-a0 <-> oak-b0; no other
# interface, no route out. tcpdump (or dumpcap) records on oak-a0 inside oak-a. Everything is torn down on exit.
# Scenario: tools/scenarios/<scenario>/scenario.env (shell variables, below) and a/ b/ configs:
#   A, B         charon | pluto | none       the daemon in oak-a (initiator) and oak-b (responder)
#   INITIATE     swanctl child name (charon) or conn name (pluto) started on side a
#   INITIATE_IKE set to 1 to initiate with --ike instead of --child (charon)
#   HOLD         seconds to keep the SA up after initiating (DPD runs here), default 2
#   TERMINATE    1: terminate the IKE SA from a at the end (informational deletes), default 1
#   LIBIPSEC     1: load kernel-libipsec (userspace ESP; needs encap = yes, so IKE floats to 4500)
#   PING         1: ping b's tunnel address from a through the tunnel (ESP-in-UDP in the capture)
#   DROP_B       1: drop all UDP arriving in oak-b (a peer that does not answer)
#   DROP_B_AFTER 1: the same, but only once the initiate call has returned (a peer that dies: DPD gives up)
#   CERTS        1: make a throwaway CA and RSA certificates (tools/make-certs.sh) for both sides
#   CAPTURE      tcpdump (Ethernet, pcap, default) | any (Linux cooked capture, pcap) | dumpcap (pcapng)
#   WAIT         seconds to wait for the initiate call (bounded), default 20
#   CHARON_EXTRA extra lines inside charon { } of both strongswan.conf files
#   KEEP_LOGS    1: keep both sides' charon logs (ike = 4, throwaway keys) in the case as charon-a.filelog, charon-b.filelog
#   IPV6         1: also give the namespaces 2001:db8::1/64 and 2001:db8::2/64 (documentation prefix) and record IPv6
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CORPUS=$(dirname "$HERE")
SCENARIO=${1:?usage: capture.sh <scenario>}
CASE=$SCENARIO
SC=$HERE/scenarios/$SCENARIO
[ -f "$SC/scenario.env" ] || { echo "no scenario $SC" >&2; exit 2; }
LIBRESWAN=${LIBRESWAN:-/opt/oak-libreswan}

A=charon B=charon INITIATE=net TERMINATE_IKE=oak INITIATE_IKE=0 HOLD=2 TERMINATE=1 LIBIPSEC=0 PING=0 DROP_B=0 CERTS=0 CAPTURE=tcpdump WAIT=20
IPV6=0 KEEP_LOGS=0
CHARON_EXTRA=""
# shellcheck disable=SC1091
source "$SC/scenario.env"

WORK=$(mktemp -d /tmp/oak-capture.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  ip netns del oak-a 2>/dev/null
  ip netns del oak-b 2>/dev/null
}
trap cleanup EXIT

# --- namespaces -------------------------------------------------------------------------------------------------
ip netns del oak-a 2>/dev/null || true
ip netns del oak-b 2>/dev/null || true
ip netns add oak-a
ip netns add oak-b
ip link add oak-a0 netns oak-a type veth peer name oak-b0 netns oak-b
for s in a b; do
  [ "$IPV6" = 1 ] || ip netns exec "oak-$s" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  # No router solicitations or other autoconfiguration chatter in the capture.
  [ "$IPV6" = 1 ] && ip netns exec "oak-$s" sysctl -qw net.ipv6.conf.default.autoconf=0 net.ipv6.conf.default.accept_ra=0 \
    net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
  ip -n "oak-$s" link set lo up
done
ip -n oak-a addr add 192.0.2.1/24 dev oak-a0
ip -n oak-b addr add 192.0.2.2/24 dev oak-b0
ip -n oak-a link set oak-a0 up
ip -n oak-b link set oak-b0 up
# Tunnel-side addresses for traffic selectors and pings (inside the namespaces only).
ip -n oak-a addr add 10.1.0.1/32 dev lo
ip -n oak-b addr add 10.2.0.1/32 dev lo
if [ "$IPV6" = 1 ]; then
  ip -n oak-a addr add 2001:db8::1/64 dev oak-a0 nodad
  ip -n oak-b addr add 2001:db8::2/64 dev oak-b0 nodad
  ip -n oak-a addr add 2001:db8:1::1/128 dev lo
  ip -n oak-b addr add 2001:db8:2::1/128 dev lo
fi
drop_b() {
  ip netns exec oak-b nft -f - <<'EOF'
table inet oak {
  chain input {
    type filter hook input priority 0; policy accept;
    udp dport { 500, 4500 } drop
  }
}
EOF
}
[ "$DROP_B" = 1 ] && drop_b

if [ "$CERTS" = 1 ]; then "$HERE/make-certs.sh" "$WORK/certs"; fi

# --- capture ----------------------------------------------------------------------------------------------------
FILTER='ip and (udp or icmp or (ip[6:2] & 0x1fff != 0) or (ip[6] & 0x20 != 0))'
# IPv6: UDP, and fragments (next header 44); neighbour discovery stays out.
[ "$IPV6" = 1 ] && FILTER="($FILTER) or (ip6 and (udp or ip6[6] == 44))"
case "$CAPTURE" in
  tcpdump) OUT=capture.pcap
    ip netns exec oak-a timeout 300 tcpdump -q -n -s 0 -U -i oak-a0 -w "$WORK/$OUT" "$FILTER" 2>"$WORK/tcpdump.err" &
    ;;
  any) OUT=capture.pcap
    ip netns exec oak-a timeout 300 tcpdump -q -n -s 0 -U -i any -y LINUX_SLL -w "$WORK/$OUT" "$FILTER and not (src 10.1.0.1 and dst 10.1.0.1)" 2>"$WORK/tcpdump.err" &
    ;;
  dumpcap) OUT=capture.pcapng
    ip netns exec oak-a timeout 300 dumpcap -q -i oak-a0 -s 0 -f "$FILTER" -w "$WORK/$OUT" 2>"$WORK/tcpdump.err" &
    ;;
  *) echo "bad CAPTURE=$CAPTURE" >&2; exit 2 ;;
esac
PIDS+=($!)
sleep 1.5

# --- daemons ----------------------------------------------------------------------------------------------------
charon_conf() { # side
  local s=$1 kernel=kernel-netlink
  # kernel-libipsec must come before kernel-netlink to own the IPsec interface (the kernel here has no ESP).
  [ "$LIBIPSEC" = 1 ] && kernel="kernel-libipsec kernel-netlink"
  local plugins="random nonce openssl aes sha1 sha2 md5 hmac gmp pem pkcs1 pkcs8 x509 pubkey revocation constraints $kernel socket-default vici updown attr xauth-generic"
  cat > "$WORK/$s/strongswan.conf" <<EOF
charon {
  load = $plugins
  install_routes = no
  install_virtual_ip = no
  i_dont_care_about_security_and_use_aggressive_mode_psk = yes
  retransmit_tries = 3
  retransmit_timeout = 1.0
  retransmit_base = 1.5
  $CHARON_EXTRA
  plugins {
    vici { socket = unix://$WORK/$s/charon.vici }
    kernel-libipsec { allow_peer_ts = yes }
  }
  filelog {
    oak { path = $WORK/$s/charon.log
          time_format = %H:%M:%S
          ike_name = yes
          append = no
          default = 1
          ike = 4
          cfg = 2
          net = 2
          enc = 2
          chd = 2
          knl = 1 }
  }
}
swanctl { load = pem pkcs1 pkcs8 x509 revocation constraints pubkey openssl random }
EOF
}

start_charon() { # side
  local s=$1
  mkdir -p "$WORK/$s/run" "$WORK/$s/swanctl"
  cp -r "$SC/$s/." "$WORK/$s/swanctl/"
  if [ "$CERTS" = 1 ]; then
    mkdir -p "$WORK/$s/swanctl/x509" "$WORK/$s/swanctl/x509ca" "$WORK/$s/swanctl/private"
    cp "$WORK/certs/ca.pem" "$WORK/$s/swanctl/x509ca/"
    cp "$WORK/certs/$s.pem" "$WORK/$s/swanctl/x509/"
    cp "$WORK/certs/$s.key.pem" "$WORK/$s/swanctl/private/"
  fi
  charon_conf "$s"
  ip netns exec "oak-$s" unshare -m --propagation private env STRONGSWAN_CONF="$WORK/$s/strongswan.conf" \
    bash -c "mount --bind '$WORK/$s/run' /run && exec timeout 300 /usr/lib/ipsec/charon" >"$WORK/$s/charon.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 50); do [ -S "$WORK/$s/charon.vici" ] && break; sleep 0.1; done
  STRONGSWAN_CONF="$WORK/$s/strongswan.conf" SWANCTL_DIR="$WORK/$s/swanctl" \
    swanctl --load-all --noprompt --file "$WORK/$s/swanctl/swanctl.conf" --uri "unix://$WORK/$s/charon.vici" \
    >"$WORK/$s/swanctl-load.out" 2>&1 || { cat "$WORK/$s/swanctl-load.out" >&2; exit 1; }
}

start_pluto() { # side
  # pluto insists on finding its addconn helper at /usr/libexec/ipsec: bind the unpacked libreswan there, privately.
  local s=$1 lx=$LIBRESWAN/usr/libexec/ipsec
  mkdir -p "$WORK/$s/run" "$WORK/$s/nss" "$WORK/$s/ipsec.d"
  cp -r "$SC/$s/." "$WORK/$s/"
  certutil -N -d "sql:$WORK/$s/nss" --empty-password
  if [ "$CERTS" = 1 ]; then
    certutil -A -d "sql:$WORK/$s/nss" -n oak-ca -t 'CT,,' -i "$WORK/certs/ca.pem"
    pk12util -i "$WORK/certs/$s.p12" -d "sql:$WORK/$s/nss" -W '' >/dev/null
  fi
  sed -i "s#@WORK@#$WORK/$s#g" "$WORK/$s/ipsec.conf"
  ip netns exec "oak-$s" unshare -m --propagation private \
    bash -c "mount --bind '$WORK/$s/run' /run && mount --bind '$LIBRESWAN/usr/libexec' /usr/libexec && mkdir -p /run/pluto && exec timeout 300 $lx/pluto --nofork --config '$WORK/$s/ipsec.conf' \
      --secretsfile '$WORK/$s/ipsec.secrets' --ipsecdir '$WORK/$s/ipsec.d' --nssdir '$WORK/$s/nss' --rundir /run/pluto \
      --logfile '$WORK/$s/pluto.log' --no-dnssec" >"$WORK/$s/pluto.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 50); do [ -S "$WORK/$s/run/pluto/pluto.ctl" ] && break; sleep 0.1; done
  ip netns exec "oak-$s" "$lx/addconn" --config "$WORK/$s/ipsec.conf" --ctlsocket "$WORK/$s/run/pluto/pluto.ctl" --autoall \
    >"$WORK/$s/addconn.out" 2>&1 || { cat "$WORK/$s/addconn.out" >&2; exit 1; }
  ip netns exec "oak-$s" "$lx/whack" --ctlsocket "$WORK/$s/run/pluto/pluto.ctl" --listen >>"$WORK/$s/addconn.out" 2>&1
}

for s in a b; do
  d=$A; [ "$s" = b ] && d=$B
  case "$d" in
    charon) start_charon "$s" ;;
    pluto) start_pluto "$s" ;;
    none) mkdir -p "$WORK/$s" ;;
  esac
done
sleep 1

# --- run --------------------------------------------------------------------------------------------------------
START=$(date -u +%FT%TZ)
if [ "$A" = charon ]; then
  kind=--child; [ "$INITIATE_IKE" = 1 ] && kind=--ike
  STRONGSWAN_CONF="$WORK/a/strongswan.conf" timeout "$((WAIT + 5))" swanctl --initiate $kind "$INITIATE" --timeout "$WAIT" \
    --uri "unix://$WORK/a/charon.vici" >"$WORK/a/initiate.out" 2>&1 || echo "initiate: $(tail -1 "$WORK/a/initiate.out")"
else
  timeout "$((WAIT + 5))" ip netns exec oak-a "$LIBRESWAN/usr/libexec/ipsec/whack" --ctlsocket "$WORK/a/run/pluto/pluto.ctl" \
    --name "$INITIATE" --initiate >"$WORK/a/initiate.out" 2>&1 || echo "initiate: $(tail -1 "$WORK/a/initiate.out")"
fi
[ "${DROP_B_AFTER:-0}" = 1 ] && drop_b
if [ "$PING" = 1 ]; then
  ip netns exec oak-a ping -c 3 -i 0.3 -W 1 -I 10.1.0.1 10.2.0.1 >"$WORK/ping.out" 2>&1 || echo "ping failed (see $WORK/ping.out)"
fi
sleep "$HOLD"
if [ "$TERMINATE" = 1 ]; then
  if [ "$A" = charon ]; then
    STRONGSWAN_CONF="$WORK/a/strongswan.conf" timeout 15 swanctl --terminate --ike "$TERMINATE_IKE" --timeout 5 \
      --uri "unix://$WORK/a/charon.vici" >"$WORK/a/terminate.out" 2>&1 || true
  else
    timeout 15 ip netns exec oak-a "$LIBRESWAN/usr/libexec/ipsec/whack" --ctlsocket "$WORK/a/run/pluto/pluto.ctl" \
      --name "$INITIATE" --terminate >"$WORK/a/terminate.out" 2>&1 || true
  fi
fi
sleep 1.5
cleanup
trap - EXIT

# --- results ----------------------------------------------------------------------------------------------------
DEST=$CORPUS/cases/$CASE
rm -rf "$DEST"
mkdir -p "$DEST"
cp "$WORK/$OUT" "$DEST/$OUT"
KEYLOGS=()
for s in a b; do
  [ -f "$WORK/$s/charon.log" ] || continue
  if [ "$KEEP_LOGS" = 1 ]; then cp "$WORK/$s/charon.log" "$DEST/charon-$s.filelog"; KEYLOGS+=("$DEST/charon-$s.filelog")
  else KEYLOGS+=("$WORK/$s/charon.log"); fi
done
psk_of() { # side: the first pre-shared key in that side's configuration
  sed -n -E 's/.*secret = "([^"]*)".*/\1/p; s/.*PSK "([^"]*)".*/\1/p' "$SC/$1"/swanctl.conf "$SC/$1"/ipsec.secrets 2>/dev/null | head -1
}
PSKS=()
[ -n "$(psk_of a)" ] && [ "$CERTS" != 1 ] && PSKS+=(--psk "$(psk_of a)")
[ -n "$(psk_of b)" ] && [ "$CERTS" != 1 ] && [ "$(psk_of b)" != "$(psk_of a)" ] && PSKS+=(--psk-responder "$(psk_of b)")
node "$HERE/extract-keys.mjs" --capture "$DEST/$OUT" --out "$DEST" "${PSKS[@]}" "${KEYLOGS[@]}" || echo "no keys extracted"
ver() {
  case "$1" in
    charon) echo "strongSwan $(dpkg-query -W -f '${Version}' strongswan-charon) charon" ;;
    pluto) echo "libreswan $(cat "$LIBRESWAN/DEBIAN-VERSION" 2>/dev/null || echo 4.10) pluto" ;;
    none) echo "nothing (UDP 500/4500 dropped)" ;;
  esac
}
cat > "$WORK/provenance.json" <<EOF
{"initiator": "$(ver "$A")", "responder": "$(ver "$B")", "capturedWith": "$(case $CAPTURE in dumpcap) dumpcap --version | head -1;; *) tcpdump --version | head -1;; esac)", "date": "$START", "command": "corpus/tools/capture.sh $SCENARIO $CASE"}
EOF
cp "$WORK/provenance.json" "$HERE/scenarios/$SCENARIO/last-run.json"

# NOTES.md: what ran, with which configuration, and what the daemons said about it.
{
  echo "# $CASE"
  echo
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["shows"])' "$SC/scenario.json"
  echo
  echo "- Made by: \`corpus/tools/capture.sh $SCENARIO\` on $START"
  echo "- Initiator (oak-a, 192.0.2.1): $(ver "$A")"
  echo "- Responder (oak-b, 192.0.2.2): $(ver "$B")"
  echo "- Capture: $CAPTURE on $( [ "$CAPTURE" = any ] && echo 'any (Linux cooked)' || echo oak-a0 ) in oak-a"
  echo "- Configuration: corpus/tools/scenarios/$SCENARIO/"
  echo
  echo "## What the daemons logged (selected lines)"
  echo
  for s in a b; do
    for f in "$WORK/$s/charon.log" "$WORK/$s/pluto.log"; do
      [ -f "$f" ] || continue
      echo "### side $s: $(basename "$f")"
      echo
      echo '```'
      if [ "$(basename "$f")" = pluto.log ]; then
        # pluto: its own non-debug lines about the connection (plutodebug lines start with "| ").
        grep -v -E ': \| ' "$f" | grep -E '"oak"|ISAKMP|NO_PROPOSAL|Delete|ignoring|dropping' \
          | sed -E 's/^[A-Z][a-z]{2} [0-9]+ [0-9:.]+: //' | head -80
      else
        grep -v -E '\[(LIB|ASN|MGR|TNC|IMC|IMV|PTS|TLS|ESP|APP)\]|=>|^[0-9:]+ [0-9]+\[[A-Z]+\] (<[^>]*> )? +[0-9]+: ' "$f" \
          | grep -E 'initiating|is initiating|selected proposal|established|received [A-Z_]+ (error )?notify|sending [A-Z_]+ notify|retransmit|giving up|deleting|DPD|XAuth|XAUTH|mode config|fragment|NAT detected|authentication of|no proposal|failed|unable|STATE_|deleted|dropping|refusing|no matching|parsed [A-Z_]+ (request|response)|generating [A-Z_]+ (request|response)|sent |received |scheduling|assigning|installing|IKE_SA .* state change|behind NAT|timed out|DPD action' \
          | grep -v -E 'vendor ID|queueing|activating|sending packet: from [^(]*$|received packet: from [^(]*$' \
          | sed -E 's/^[0-9:]+ //; s/^[A-Z][a-z]{2} [0-9]+ [0-9:.]+: //' | head -80
      fi
      echo '```'
      echo
    done
  done
} > "$DEST/NOTES.md"
echo "captured $CASE: $(tcpdump -r "$DEST/$OUT" 2>/dev/null | wc -l) packets; logs in $WORK"
