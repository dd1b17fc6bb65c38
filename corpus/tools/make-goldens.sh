#!/usr/bin/env bash
# Writes tshark's view of every capture (or of the named cases) as JSON goldens, trimmed to the ISAKMP layer:
#   cases/<case>/tshark.json            tshark -T json --no-duplicate-keys, no keys
#   cases/<case>/tshark-decrypted.json  the same with the case's ikev1_decryption_table loaded (when it has one)
#   <third-party>/<project>/<file>.tshark.json  the same for every file a project's sources.json lists (no keys), when
#                                       the third-party folder is on this machine ($OAKLOG_THIRD_PARTY, or
#                                       shared/third-party beside the repository; `third-party` as the only argument
#                                       makes these only)
# then rebuilds manifest.json. Review the diff before committing: the goldens are tshark's opinion, not ours.
#   corpus/tools/make-goldens.sh [case...|third-party]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CORPUS=$(dirname "$HERE")
cd "$CORPUS"
CONF=$(mktemp -d /tmp/oak-wireshark.XXXXXX)
trap 'rm -rf "$CONF"' EXIT

# golden <capture> <out> [key table]: tshark with a fresh config directory (and the key table, when given), trimmed.
golden() {
  rm -f "$CONF"/*
  [ $# -lt 3 ] || cp "$3" "$CONF/"
  WIRESHARK_CONFIG_DIR=$CONF tshark -r "$1" -T json --no-duplicate-keys 2>/dev/null | python3 "$HERE/trim-tshark.py" > "$2"
}

cases=("$@")
if [ "${cases[*]:-}" != third-party ]; then
  [ ${#cases[@]} -eq 0 ] && cases=($(ls cases))
  for c in "${cases[@]}"; do
    cap=$(ls cases/"$c"/capture.pcap cases/"$c"/capture.pcapng 2>/dev/null | head -1 || true)
    [ -n "$cap" ] || { echo "skip $c: no capture" >&2; continue; }
    golden "$cap" "cases/$c/tshark.json"
    if [ -f "cases/$c/ikev1_decryption_table" ]; then
      golden "$cap" "cases/$c/tshark-decrypted.json" "cases/$c/ikev1_decryption_table"
    else
      rm -f "cases/$c/tshark-decrypted.json"
    fi
    echo "goldens: $c"
  done
fi

if [ $# -eq 0 ] || [ "${cases[*]}" = third-party ]; then
  tp=""
  for d in "${OAKLOG_THIRD_PARTY:-}" "$CORPUS/../../shared/third-party"; do
    [ -n "$d" ] && [ -d "$d" ] && { tp=$d; break; }
  done
  if [ -n "$tp" ]; then
    for meta in "$tp"/*/sources.json; do
      project=$(dirname "$meta")
      python3 -c 'import json,sys; print("\n".join(f["file"] for f in json.load(open(sys.argv[1]))["files"]))' "$meta" |
        while read -r f; do
          golden "$project/$f" "$project/$f.tshark.json"
          echo "goldens: $(basename "$project")/$f"
        done
    done
  fi
fi
node "$HERE/build-manifest.mjs"
(cd "$CORPUS/.." && pnpm exec biome format --write corpus/manifest.json >/dev/null)
