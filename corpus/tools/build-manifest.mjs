#!/usr/bin/env node
// Rebuilds corpus/manifest.json from the committed metadata and the files themselves:
//   - logs from tools/logs.meta.json (line endings, line counts and hashes are measured here);
//   - captures from tools/scenarios/<case>/scenario.json plus the case folder (expectations are read from tshark's golden).
// and, when the third-party folder is on this machine (see thirdPartyDir below), its own manifest.json and each
// project's SOURCE.md, from <project>/sources.json and the files (expectations read from tshark's golden the same way).
// Run after capture.sh / make-goldens.sh: `node corpus/tools/build-manifest.mjs`, then review the diff.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const THIRD_PARTY = 'third-party/';
/**
 * The third-party folder, as src/load.ts finds it: $OAKLOG_THIRD_PARTY, else shared/third-party beside the repository.
 * Here it only has to exist (its manifest is what this script writes).
 */
const thirdPartyDir = [process.env.OAKLOG_THIRD_PARTY, join(root, '..', '..', 'shared', 'third-party')]
  .filter((p) => p !== undefined && p !== '')
  .map((p) => resolve(p))
  .find((p) => existsSync(p) && statSync(p).isDirectory());
/** Absolute path of a path relative to corpus/ (third-party/… under the third-party folder). */
const abs = (rel) =>
  rel.startsWith(THIRD_PARTY) ? join(thirdPartyDir, rel.slice(THIRD_PARTY.length)) : join(root, rel);
const read = (rel) => readFileSync(abs(rel));
const sha256 = (rel) => createHash('sha256').update(read(rel)).digest('hex');

/** Exchange type numbers to the View Log's short names (RFC 2408 4.6 / RFC 2409 / mode-cfg draft). */
const exchangeName = { 1: 'BASE', 2: 'MM', 3: 'AUTH', 4: 'AG', 5: 'INFO', 6: 'TRANS', 32: 'QM', 33: 'NGM' };

function fileEntry(rel) {
  return { path: rel, bytes: statSync(abs(rel)).size, sha256: sha256(rel) };
}

function lineFacts(rel) {
  const text = read(rel).toString('utf8');
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length;
  const lineEnding = crlf === lf ? 'crlf' : crlf === 0 ? 'lf' : 'mixed';
  const lines = text.length === 0 ? 0 : text.split(/\r?\n/).length - (text.endsWith('\n') ? 1 : 0);
  return { lineEnding, lines };
}

function buildLogs() {
  const meta = JSON.parse(read('tools/logs.meta.json').toString('utf8'));
  return meta.map((log) => ({ ...log, ...lineFacts(log.path), files: [fileEntry(log.path)] }));
}

/** One value or the first of a --no-duplicate-keys array. */
const first = (v) => (Array.isArray(v) ? v[0] : v);

/** Facts about each ISAKMP datagram as tshark saw it, from a trimmed golden. */
function isakmpFacts(goldenRel) {
  const frames = JSON.parse(read(goldenRel).toString('utf8'));
  const messages = [];
  for (const f of frames) {
    const layers = f._source.layers;
    const isakmps = layers.isakmp === undefined ? [] : Array.isArray(layers.isakmp) ? layers.isakmp : [layers.isakmp];
    for (const m of isakmps) {
      const flags = Number.parseInt(first(m['isakmp.flags']) ?? '0', 16);
      const enc = m['isakmp.enc.data'];
      const body = enc ?? m;
      const types = body['isakmp.typepayload'];
      const tree = body['isakmp.typepayload_tree'];
      const trees = tree === undefined ? [] : Array.isArray(tree) ? tree : [tree];
      messages.push({
        from: first(layers.ip?.['ip.src'] ?? layers.ipv6?.['ipv6.src']),
        next: Number(first(m['isakmp.nextpayload'])),
        payloads: types === undefined ? null : (Array.isArray(types) ? types : [types]).map(Number),
        notifies: trees.flatMap((p) =>
          p?.['isakmp.notify.msgtype'] === undefined ? [] : [Number(p['isakmp.notify.msgtype'])],
        ),
        decoded: enc !== undefined && JSON.stringify(enc).includes('isakmp.typepayload'),
        malformed: Object.keys(layers).some((k) => k.startsWith('_ws.malformed')),
        frame: Number(first(layers.frame['frame.number'])),
        srcport: Number(first(layers.udp?.['udp.srcport'])),
        dstport: Number(first(layers.udp?.['udp.dstport'])),
        // `#?`: tshark shows the header but no exchange type (it stopped at an unknown version, e.g. a fuzzed file).
        exchange:
          m['isakmp.exchangetype'] === undefined
            ? '#?'
            : (exchangeName[Number(first(m['isakmp.exchangetype']))] ?? `#${first(m['isakmp.exchangetype'])}`),
        encrypted: (flags & 1) === 1,
        // ISAKMP major version (1 IKEv1, 2 IKEv2; anything else in a fuzzed file).
        version: Number.parseInt(first(m['isakmp.version']) ?? '0x10', 16) >> 4,
        messageId: first(m['isakmp.messageid']),
        ispi: String(first(m['isakmp.ispi']) ?? '').replaceAll(':', ''),
        rspi: String(first(m['isakmp.rspi']) ?? '').replaceAll(':', ''),
      });
    }
  }
  const protocols = String(first(frames[0]?._source.layers.frame?.['frame.protocols']) ?? '');
  const linkType = protocols.startsWith('sll')
    ? 'sll'
    : protocols.startsWith('eth')
      ? 'ethernet'
      : protocols.split(':')[0];
  return { frames: frames.length, messages, linkType };
}

/** The expectations every capture case gets from its tshark golden(s): the same code for ours and third-party ones. */
function goldenExpectations(facts, decryptedFacts) {
  return {
    ...(facts
      ? {
          frames: facts.frames,
          isakmpPackets: facts.messages.length,
          exchanges: facts.messages.map((m) => m.exchange),
          encrypted: facts.messages.map((m) => m.encrypted),
          ports: [...new Set(facts.messages.flatMap((m) => [m.srcport, m.dstport]))].sort((a, b) => a - b),
          ikeSas: [...new Set(facts.messages.map((m) => m.ispi))],
          // The IKEv1 ones, when the capture holds other versions too (IKEv2, fuzzed headers); else the same list.
          ...(facts.messages.some((m) => m.version !== 1)
            ? { ikev1Sas: [...new Set(facts.messages.filter((m) => m.version === 1).map((m) => m.ispi))] }
            : {}),
        }
      : {}),
    ...(facts
      ? {
          messages: facts.messages.map((m) => {
            const d = decryptedFacts?.messages.find((x) => x.frame === m.frame);
            const useDecrypted = m.encrypted && d?.decoded === true && !d.malformed;
            const src = useDecrypted ? d : m;
            return {
              frame: m.frame,
              from: m.from,
              ports: [m.srcport, m.dstport],
              exchange: m.exchange,
              messageId: m.messageId,
              encrypted: m.encrypted,
              // Only when not IKEv1, so our own (IKEv1) cases' messages stay as they were.
              ...(m.version !== 1 ? { version: m.version } : {}),
              // Top-level payload types in order; for encrypted messages as tshark decrypted them with the keys,
              // or only the first (from the header's next-payload field) when it could not.
              payloads: m.encrypted && !useDecrypted ? [m.next] : (src.payloads ?? []),
              decrypted: m.encrypted ? useDecrypted : undefined,
              ...(src.notifies.length > 0 ? { notifies: src.notifies } : {}),
            };
          }),
        }
      : {}),
    ...(decryptedFacts
      ? {
          decryptedIsakmpPackets: decryptedFacts.messages.length,
          tsharkDecrypted: decryptedFacts.messages.filter((m) => m.decoded && !m.malformed).length,
          tsharkMalformedWithKeys: decryptedFacts.messages.filter((m) => m.malformed).length,
        }
      : {}),
  };
}

function buildCaptures() {
  const casesDir = join(root, 'cases');
  if (!existsSync(casesDir)) return [];
  const out = [];
  for (const name of readdirSync(casesDir).sort()) {
    const dir = `cases/${name}`;
    const scenarioPath = join(root, 'tools/scenarios', name, 'scenario.json');
    if (!existsSync(scenarioPath)) throw new Error(`${dir}: no tools/scenarios/${name}/scenario.json`);
    const scenario = JSON.parse(readFileSync(scenarioPath, 'utf8'));
    const runPath = join(root, 'tools/scenarios', name, 'last-run.json');
    const run = existsSync(runPath) ? JSON.parse(readFileSync(runPath, 'utf8')) : {};
    const files = readdirSync(join(root, dir)).sort();
    const has = (f) => files.includes(f);
    const capture = has('capture.pcapng') ? 'capture.pcapng' : 'capture.pcap';
    if (!has(capture)) throw new Error(`${dir}: no capture`);
    const golden = `${dir}/tshark.json`;
    const facts = has('tshark.json') ? isakmpFacts(golden) : undefined;
    const decryptedFacts = has('tshark-decrypted.json') ? isakmpFacts(`${dir}/tshark-decrypted.json`) : undefined;
    const entry = {
      name,
      path: `${dir}/${capture}`,
      format: capture.endsWith('.pcapng') ? 'pcapng' : 'pcap',
      ...(has('tshark.json') ? { tsharkGolden: golden } : {}),
      ...(has('tshark-decrypted.json') ? { tsharkDecryptedGolden: `${dir}/tshark-decrypted.json` } : {}),
      ...(has('ikev1_decryption_table') ? { wiresharkKeys: `${dir}/ikev1_decryption_table` } : {}),
      ...(has('keys.json') ? { keys: `${dir}/keys.json` } : {}),
      ...(has('NOTES.md') ? { notes: `${dir}/NOTES.md` } : {}),
      ...(has('expected.log') ? { expectedLog: `${dir}/expected.log` } : {}),
      linkType: facts?.linkType ?? 'ethernet',
      shows: scenario.shows,
      provenance: scenario.synthesized
        ? {
            kind: 'synthesized',
            source: `oaklog synth ${scenario.synthesized.scenario} --out ${dir}`,
            generator: scenario.synthesized.generator,
            seed: String(scenario.synthesized.seed),
            config: `tools/scenarios/${name}/`,
          }
        : {
            kind: 'captured',
            source: run.command ?? `corpus/tools/capture.sh ${name}`,
            ...(scenario.note ? { note: scenario.note } : {}),
            ...(run.initiator ? { initiator: run.initiator, responder: run.responder } : {}),
            ...(run.capturedWith ? { capturedWith: run.capturedWith } : {}),
            ...(run.date ? { date: run.date } : {}),
            config: `tools/scenarios/${name}/`,
          },
      expect: { outcome: scenario.outcome, ...(scenario.expect ?? {}), ...goldenExpectations(facts, decryptedFacts) },
      files: files.map((f) => fileEntry(`${dir}/${f}`)),
    };
    out.push(entry);
  }
  return out;
}

/** Fuzz findings saved by the fuzz targets (corpus/regressions/<target>/<file>); listed so the manifest covers them. */
function buildRegressions() {
  const dir = join(root, 'regressions');
  if (!existsSync(dir)) return [];
  const out = [];
  for (const target of readdirSync(dir).sort()) {
    if (!statSync(join(dir, target)).isDirectory()) continue;
    for (const f of readdirSync(join(dir, target)).sort()) {
      const rel = `regressions/${target}/${f}`;
      out.push({ name: `${target}/${f}`, target, path: rel, files: [fileEntry(rel)] });
    }
  }
  return out;
}

/** The golden of a third-party capture: `<file>.tshark.json` beside it. */
const thirdPartyGolden = (rel) => `${rel}.tshark.json`;

/** `tcpdump` + `tests/ISAKMP_sa_setup.pcap` -> `tcpdump-isakmp-sa-setup`. */
function thirdPartyName(project, file) {
  const stem = file.replace(/\.(pcap|pcapng)$/, '');
  return `${project}-${stem}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** One project's SOURCE.md, written from its sources.json so the two never disagree. */
function sourceMarkdown(meta) {
  const lines = [
    `# ${meta.project}: captures from ${meta.repository}`,
    '',
    `Copied byte-exact from the repository snapshot at commit \`${meta.snapshot}\`. Licence: ${meta.licence}; its text, copied verbatim from \`${meta.licenceFile}\` upstream, is \`LICENSE\` beside this file.${meta.licenceNote ? ` ${meta.licenceNote}` : ''}`,
    '',
    'Generated by corpus/tools/build-manifest.mjs from sources.json; tshark goldens are `<file>.tshark.json`.',
    '',
    '| file | upstream path | last changed in | licence | shows |',
    '| --- | --- | --- | --- | --- |',
    ...meta.files.map(
      (f) =>
        `| \`${f.file}\` | \`${f.path}\` | \`${f.lastChangedIn.slice(0, 12)}\` | ${meta.licence} | ${f.shows}${f.note ? ` (${f.note})` : ''} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** Captures other projects published: <third-party>/<project>/sources.json lists them, with their provenance. */
function buildThirdParty() {
  const out = [];
  for (const project of readdirSync(thirdPartyDir).sort()) {
    const metaRel = `${THIRD_PARTY}${project}/sources.json`;
    if (!existsSync(abs(metaRel))) continue;
    const meta = JSON.parse(read(metaRel).toString('utf8'));
    if (meta.project !== project) throw new Error(`${metaRel}: project ${meta.project}, folder ${project}`);
    const sourceRel = `${THIRD_PARTY}${project}/SOURCE.md`;
    writeFileSync(abs(sourceRel), sourceMarkdown(meta));
    const licenceRel = `${THIRD_PARTY}${project}/LICENSE`;
    if (!existsSync(abs(licenceRel))) throw new Error(`${project}: no LICENSE`);
    for (const f of meta.files) {
      const rel = `${THIRD_PARTY}${project}/${f.file}`;
      if (sha256(rel) !== f.sha256) throw new Error(`${rel}: not the bytes sources.json recorded`);
      const golden = thirdPartyGolden(rel);
      const facts = existsSync(abs(golden)) ? isakmpFacts(golden) : undefined;
      out.push({
        name: thirdPartyName(project, f.file),
        path: rel,
        format: f.file.endsWith('.pcapng') ? 'pcapng' : 'pcap',
        ...(facts ? { tsharkGolden: golden } : {}),
        linkType: facts?.linkType ?? 'ethernet',
        shows: f.shows,
        provenance: {
          kind: 'published',
          source: `${meta.repository} ${f.path} at ${meta.snapshot}`,
          ...(f.note ? { note: f.note } : {}),
          repository: meta.repository,
          upstreamPath: f.path,
          commit: meta.snapshot,
          lastChangedIn: f.lastChangedIn,
          blob: f.blob,
          licence: meta.licence,
          licenceFile: licenceRel,
        },
        expect: { outcome: f.outcome ?? 'not-asserted', ...goldenExpectations(facts, undefined) },
        files: [rel, ...(facts ? [golden] : []), licenceRel, sourceRel, metaRel].map(fileEntry),
      });
    }
  }
  return out;
}

if (thirdPartyDir !== undefined) {
  const thirdParty = {
    $comment:
      'Generated by corpus/tools/build-manifest.mjs from <project>/sources.json and the files. Do not edit by hand. Paths are relative to corpus/: third-party/ is this folder.',
    version: 1,
    captures: buildThirdParty(),
  };
  writeFileSync(abs(`${THIRD_PARTY}manifest.json`), `${JSON.stringify(thirdParty, null, 2)}\n`);
  console.log(`third-party manifest (${thirdPartyDir}): ${thirdParty.captures.length} captures`);
}

const manifest = {
  $comment:
    'Generated by corpus/tools/build-manifest.mjs from tools/logs.meta.json, tools/scenarios/*/scenario.json and the files. Do not edit by hand.',
  version: 1,
  captures: buildCaptures(),
  logs: buildLogs(),
  regressions: buildRegressions(),
};
writeFileSync(join(root, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `manifest: ${manifest.captures.length} captures, ${manifest.logs.length} logs, ${manifest.regressions.length} regressions`,
);
