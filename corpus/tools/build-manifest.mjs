#!/usr/bin/env node
// Rebuilds corpus/manifest.json from the committed metadata and the files themselves:
//   - logs from tools/logs.meta.json (line endings, line counts and hashes are measured here);
//   - captures from tools/scenarios/<case>/scenario.json plus the case folder (expectations are read from tshark's golden).
// Run after capture.sh / make-goldens.sh: `node corpus/tools/build-manifest.mjs`, then review the diff.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (rel) => readFileSync(join(root, rel));
const sha256 = (rel) => createHash('sha256').update(read(rel)).digest('hex');

/** Exchange type numbers to the View Log's short names (RFC 2408 4.6 / RFC 2409 / mode-cfg draft). */
const exchangeName = { 1: 'BASE', 2: 'MM', 3: 'AUTH', 4: 'AG', 5: 'INFO', 6: 'TRANS', 32: 'QM', 33: 'NGM' };

function fileEntry(rel) {
  return { path: rel, bytes: statSync(join(root, rel)).size, sha256: sha256(rel) };
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
        exchange: exchangeName[Number(first(m['isakmp.exchangetype']))] ?? `#${first(m['isakmp.exchangetype'])}`,
        encrypted: (flags & 1) === 1,
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
      linkType: facts?.linkType ?? 'ethernet',
      shows: scenario.shows,
      provenance: {
        kind: 'captured',
        source: run.command ?? `corpus/tools/capture.sh ${name}`,
        ...(scenario.note ? { note: scenario.note } : {}),
        ...(run.initiator ? { initiator: run.initiator, responder: run.responder } : {}),
        ...(run.capturedWith ? { capturedWith: run.capturedWith } : {}),
        ...(run.date ? { date: run.date } : {}),
        config: `tools/scenarios/${name}/`,
      },
      expect: {
        outcome: scenario.outcome,
        ...(scenario.expect ?? {}),
        ...(facts
          ? {
              frames: facts.frames,
              isakmpPackets: facts.messages.length,
              exchanges: facts.messages.map((m) => m.exchange),
              encrypted: facts.messages.map((m) => m.encrypted),
              ports: [...new Set(facts.messages.flatMap((m) => [m.srcport, m.dstport]))].sort((a, b) => a - b),
              ikeSas: [...new Set(facts.messages.map((m) => m.ispi))],
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
      },
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
