#!/usr/bin/env bash
# Writes tshark's view of every capture (or of the named cases) as JSON goldens, trimmed to the ISAKMP layer:
#   cases/<case>/tshark.json            tshark -T json --no-duplicate-keys, no keys
#   cases/<case>/tshark-decrypted.json  the same with the case's ikev1_decryption_table loaded (when it has one)
# then rebuilds manifest.json. Review the diff before committing: the goldens are tshark's opinion, not ours.
#   corpus/tools/make-goldens.sh [case...]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CORPUS=$(dirname "$HERE")
cd "$CORPUS"
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=($(ls cases))
CONF=$(mktemp -d /tmp/oak-wireshark.XXXXXX)
trap 'rm -rf "$CONF"' EXIT
for c in "${cases[@]}"; do
  cap=$(ls cases/"$c"/capture.pcap cases/"$c"/capture.pcapng 2>/dev/null | head -1 || true)
  [ -n "$cap" ] || { echo "skip $c: no capture" >&2; continue; }
  rm -f "$CONF"/*
  WIRESHARK_CONFIG_DIR=$CONF tshark -r "$cap" -T json --no-duplicate-keys 2>/dev/null | python3 "$HERE/trim-tshark.py" > "cases/$c/tshark.json"
  if [ -f "cases/$c/ikev1_decryption_table" ]; then
    cp "cases/$c/ikev1_decryption_table" "$CONF/"
    WIRESHARK_CONFIG_DIR=$CONF tshark -r "$cap" -T json --no-duplicate-keys 2>/dev/null | python3 "$HERE/trim-tshark.py" > "cases/$c/tshark-decrypted.json"
  else
    rm -f "cases/$c/tshark-decrypted.json"
  fi
  echo "goldens: $c"
done
node "$HERE/build-manifest.mjs"
(cd "$CORPUS/.." && pnpm exec biome format --write corpus/manifest.json >/dev/null)
