#!/usr/bin/env node
/**
 * Regenerates tshark.json.golden: every vector of vectors.mjs, wrapped in a UDP/500 frame, decoded by tshark
 * (`-T json --no-duplicate-keys`), trimmed to the isakmp layer, keyed by vector name; and ikev2.tshark.json.golden,
 * the same for ikev2-vectors.mjs plus the exchange and notify names tshark shows (`-T pdml`).
 *
 *   node packages/isakmp/test/vectors/make-goldens.mjs
 *
 * Review the diff before committing: these goldens are the independent oracle the codec is checked against.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ikev2Vectors } from './ikev2-vectors.mjs';
import { tsharkLayers, tsharkNames } from './tshark.mjs';
import { vectors, x } from './vectors.mjs';

const layers = tsharkLayers(vectors.map((v) => x(v.hex)));
const version = execFileSync('tshark', ['--version'], { encoding: 'utf8' }).split('\n')[0];
const goldens = { tshark: version, vectors: Object.fromEntries(vectors.map((v, i) => [v.name, layers[i]])) };
const file = fileURLToPath(new URL('./tshark.json.golden', import.meta.url));
writeFileSync(file, `${JSON.stringify(goldens, null, 2)}\n`);
console.log(`wrote ${vectors.length} goldens (${version}) to ${file}`);

const bytes2 = ikev2Vectors.map((v) => x(v.hex));
const layers2 = tsharkLayers(bytes2);
const names2 = tsharkNames(bytes2);
const goldens2 = {
  tshark: version,
  vectors: Object.fromEntries(ikev2Vectors.map((v, i) => [v.name, { layer: layers2[i], names: names2[i] }])),
};
const file2 = fileURLToPath(new URL('./ikev2.tshark.json.golden', import.meta.url));
writeFileSync(file2, `${JSON.stringify(goldens2, null, 2)}\n`);
console.log(`wrote ${ikev2Vectors.length} IKEv2 goldens to ${file2}`);
