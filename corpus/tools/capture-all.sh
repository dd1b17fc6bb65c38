#!/usr/bin/env bash
# Re-records every scenario (or the named ones), then rewrites the tshark goldens and the manifest.
# Needs root and the packages from setup-machine.sh. Takes a few minutes. Never run in CI.
#   corpus/tools/capture-all.sh [scenario...]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=($(ls "$HERE/scenarios"))
for s in "${scenarios[@]}"; do
  echo "== $s"
  timeout 180 "$HERE/capture.sh" "$s" 2>&1 | grep -v -E "tpm|TPM" | tail -4
done
"$HERE/make-goldens.sh" "${scenarios[@]}"
