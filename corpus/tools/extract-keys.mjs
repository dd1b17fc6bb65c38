#!/usr/bin/env node
// Writes a case's keys.json and ikev1_decryption_table from the charon logs of its capture (`ike = 4`), through
// `oaklog keys extract` (@oaklog/crypto extractCharonKeys): only the IKE SAs whose initiator cookie the capture holds,
// in the order it holds them. Needs the CLI built (`pnpm -r --filter './packages/*' build`).
//
//   node corpus/tools/extract-keys.mjs --capture capture.pcap --out case-dir [--psk S] [--psk-responder S] a.log b.log
//
// The initiator's log goes first (a log without an "initiating" line is taken for the initiator if it comes first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const cli = join(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/dist/main.js');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    capture: { type: 'string' },
    out: { type: 'string' },
    psk: { type: 'string' },
    'psk-responder': { type: 'string' },
  },
});
if (!values.capture || !values.out || positionals.length === 0) {
  console.error('usage: extract-keys.mjs --capture FILE --out DIR [--psk S] [--psk-responder S] LOG...');
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error(`extract-keys: ${cli} is missing: build the packages first`);
  process.exit(2);
}
const common = ['keys', 'extract', ...positionals, '--capture', values.capture];
if (values.psk !== undefined) common.push('--psk', values.psk);
if (values['psk-responder'] !== undefined) common.push('--psk-responder', values['psk-responder']);
for (const [format, file] of [
  ['json', 'keys.json'],
  ['wireshark', 'ikev1_decryption_table'],
]) {
  const run = spawnSync(process.execPath, [cli, ...common, '--format', format, '-o', join(values.out, file)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) process.exit(run.status ?? 2);
}
console.log(`extract-keys: wrote ${join(values.out, 'keys.json')} and ikev1_decryption_table`);
