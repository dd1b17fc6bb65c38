#!/usr/bin/env node
// Writes test/goldens/<case>.json: tshark's frame count and per-outcome frame lists for every corpus capture (read through
// the corpus loader) and every fixture under test/fixtures. Run from packages/pcap: `node test/make-tshark-goldens.mjs`.
// Goldens record the capture's sha256 so the test can tell a stale golden from a reader bug.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsharkCounts, tsharkVersion } from './tshark-counts.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const goldens = join(here, 'goldens');
mkdirSync(goldens, { recursive: true });

/** The corpus loader is TypeScript and Node 20 cannot import it, so transpile it (types only are stripped) and load that. */
async function loadCorpusLoader() {
  const ts = (await import('typescript')).default;
  const loaderUrl = import.meta.resolve('@oaklog/corpus');
  const source = readFileSync(fileURLToPath(loaderUrl), 'utf8').replaceAll(
    'import.meta.url',
    JSON.stringify(loaderUrl),
  );
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return import(`data:text/javascript;base64,${Buffer.from(js.outputText).toString('base64')}`);
}

function write(name, path, bytes) {
  const golden = {
    case: name,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    tshark: tsharkVersion(),
    ...tsharkCounts(path),
  };
  // One key per line, frame lists on one line: small diffs when a capture changes.
  const body = Object.entries(golden).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  writeFileSync(join(goldens, `${name}.json`), `{\n${body.join(',\n')}\n}\n`);
  console.log(`${name}: ${golden.frames} frames, ${golden.ikeFrames.length} IKE`);
}

const corpus = await loadCorpusLoader();
for (const c of corpus.listCaptures()) {
  const path = corpus.corpusPath(c.path);
  write(c.name, path, readFileSync(path));
}
const fixtures = join(here, 'fixtures');
for (const file of readdirSync(fixtures).sort()) {
  if (!/\.(pcap|pcapng)$/.test(file)) continue;
  const path = join(fixtures, file);
  write(`fixture-${file.replace('.', '-')}`, path, readFileSync(path));
}
