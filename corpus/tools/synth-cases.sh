#!/usr/bin/env bash
# Makes the corpus cases of the client's four documented scenarios, synthesized by `oaklog synth` from the scenario files
# @oaklog/synth ships (packages/synth/scenarios): capture, both key files and the expected View Log per case, the
# scenario's record under tools/scenarios/synth-<name>/, then tshark's goldens and the manifest (make-goldens.sh).
# Needs the CLI built (pnpm build) and tshark. Synthesis is deterministic: a second run rewrites the same bytes.
#   corpus/tools/synth-cases.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CORPUS=$(dirname "$HERE")
ROOT=$(dirname "$CORPUS")
OAKLOG="node $ROOT/packages/cli/dist/main.js"
version=$(node -p "require('$ROOT/packages/synth/package.json').version")

# scenario  outcome  what it shows
while IFS='|' read -r scenario outcome shows; do
  name="synth-$scenario"
  file="packages/synth/scenarios/$scenario.json"
  mkdir -p "$CORPUS/cases/$name" "$HERE/scenarios/$name"
  rm -f "$CORPUS/cases/$name"/*
  $OAKLOG synth "$ROOT/$file" --out "$CORPUS/cases/$name" >/dev/null
  seed=$(node -p "JSON.stringify(require('$ROOT/$file').seed)")
  cat >"$HERE/scenarios/$name/scenario.json" <<JSON
{
  "shows": "$shows",
  "outcome": "$outcome",
  "synthesized": { "scenario": "$file", "seed": $seed, "generator": "@oaklog/synth $version" }
}
JSON
  cat >"$CORPUS/cases/$name/NOTES.md" <<MD
# $name

$shows

- Made by: \`oaklog synth $file --out corpus/cases/$name\` (corpus/tools/synth-cases.sh), @oaklog/synth $version, seed $seed
- Both peers are played by the synthesizer: real Diffie-Hellman, nonces and RFC 2409 hashes; every encrypted body
  decrypts with \`keys.json\` / \`ikev1_decryption_table\` and every hash verifies.
- \`expected.log\`: the View Log the client writes, from the synthesizer's own model of the client (not from the
  packets): \`oaklog view --keys keys.json --connection <name>\` of the capture must print it exactly.
- The documented lines this scenario reproduces are the transcribed log named in packages/pipeline/test/documented-scenarios.test.ts.
MD
  echo "synthesized: $name"
done <<'LIST'
main-mode-success|established|The client's documented successful main mode with a pre-shared key, synthesized: VIDs in MM3, INITIAL-CONTACT in MM5, RESPONDER-LIFETIME in the gateway's QM2, the commit bit and CONNECTED, then the loaded IPsec SA.
aggressive-mode-success|established|The client's documented successful aggressive mode with a pre-shared key, synthesized: three messages, the last one encrypted.
peer-not-responding|peer-not-responding|The client's documented peer that does not answer, synthesized: main mode message 1 resent three times, then the client gives up (a last non-IKE frame shows the silence).
qm-no-proposal-chosen|phase2-proposal-rejected|The client's documented failed quick mode, synthesized: each quick-mode message (and its three resends) answered by an encrypted INFO NO_PROPOSAL_CHOSEN, then Exceeded retry attempts.
LIST

# The records as biome formats JSON, so `biome ci` passes on what this wrote.
(cd "$ROOT" && pnpm exec biome format --write corpus/tools/scenarios/synth-*/scenario.json >/dev/null)
"$HERE/make-goldens.sh" synth-main-mode-success synth-aggressive-mode-success synth-peer-not-responding synth-qm-no-proposal-chosen
