import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  corpusRoot,
  getCapture,
  isThirdParty,
  type KeysFile,
  listCaptures,
  listLogs,
  listRegressions,
  loadManifest,
  loadThirdPartyManifest,
  parseWiresharkKeys,
  readCorpusBytes,
  readCorpusJson,
  readCorpusText,
  THIRD_PARTY_PREFIX,
  thirdPartyRoot,
} from '../src/load';

/** Plumbing that is not corpus data and so is not listed in the manifest. */
const plumbing = [
  /^package\.json$/,
  /^tsconfig\.json$/,
  /^vitest\.config\.ts$/,
  /^README\.md$/,
  /^manifest\.json$/,
  /^\.gitattributes$/,
];
const plumbingDirs = new Set(['node_modules', 'src', 'test', 'tools', 'dist', '.turbo']);

/** Files under `top`, as paths relative to `top` with `prefix` in front; `skip` tells which files and folders are not data. */
type Skip = (dir: string, name: string, isDir: boolean) => boolean;

function walk(top: string, prefix = '', skip: Skip = () => false): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const isDir = statSync(full).isDirectory();
      if (skip(dir, name, isDir)) continue;
      if (isDir) visit(full);
      else out.push(prefix + relative(top, full).split('\\').join('/'));
    }
  };
  visit(top);
  return out;
}

const isPlumbing = (dir: string, name: string, isDir: boolean) =>
  dir === corpusRoot && (isDir ? plumbingDirs.has(name) : plumbing.some((p) => p.test(name)));

/**
 * Counts packet records without any pcap library: classic pcap (24-byte header, 16-byte record headers, either byte
 * order) or pcapng (enhanced/simple/obsolete packet blocks; link type from the first interface description block).
 */
function countRecords(b: Uint8Array, format: 'pcap' | 'pcapng'): { records: number; linkType: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (format === 'pcap') {
    const le = v.getUint32(0, true) === 0xa1b2c3d4 || v.getUint32(0, true) === 0xa1b23c4d;
    let off = 24;
    let records = 0;
    while (off + 16 <= b.length) {
      off += 16 + v.getUint32(off + 8, le);
      records++;
    }
    expect(off).toBe(b.length);
    return { records, linkType: v.getUint32(20, le) & 0x0fffffff };
  }
  const le = v.getUint32(8, true) === 0x1a2b3c4d;
  let off = 0;
  let records = 0;
  let linkType = -1;
  while (off + 12 <= b.length) {
    const type = v.getUint32(off, le);
    const len = v.getUint32(off + 4, le);
    if (type === 1 && linkType < 0) linkType = v.getUint16(off + 8, le);
    if (type === 6 || type === 3 || type === 2) records++;
    off += len;
  }
  expect(off).toBe(b.length);
  return { records, linkType };
}

const allCaptures = listCaptures();
/** Our own captures (recorded here with real daemons); the published ones are checked in 'third-party captures'. */
const captures = allCaptures.filter((c) => !isThirdParty(c));
const thirdParty = allCaptures.filter(isThirdParty);
const logs = listLogs();
const listed = new Map<string, { sha256: string; bytes: number }>();
for (const c of [...allCaptures, ...logs, ...listRegressions()]) for (const f of c.files ?? []) listed.set(f.path, f);

it('reads its own package.json through the loader', () => {
  expect(JSON.parse(readCorpusText('package.json')).name).toBe('@oaklog/corpus');
});

describe('manifest', () => {
  it('has unique case names', () => {
    const names = [...allCaptures.map((c) => c.name), ...logs.map((l) => l.name)];
    expect(new Set(names).size).toBe(names.length);
    expect(loadManifest().version).toBe(1);
  });

  it('lists every file in corpus/ (outside the plumbing)', () => {
    const unlisted = walk(corpusRoot, '', isPlumbing).filter((f) => !listed.has(f));
    expect(unlisted).toEqual([]);
  });

  it('lists only files that exist, with the recorded size and hash', () => {
    for (const [path, f] of listed) {
      const bytes = readCorpusBytes(path);
      expect(bytes.length, path).toBe(f.bytes);
      expect(createHash('sha256').update(bytes).digest('hex'), path).toBe(f.sha256);
    }
  });

  it('lists each case path among its files', () => {
    for (const c of allCaptures) {
      const paths = new Set((c.files ?? []).map((f) => f.path));
      for (const p of [c.path, c.tsharkGolden, c.tsharkDecryptedGolden, c.wiresharkKeys, c.keys, c.notes]) {
        if (p !== undefined) expect(paths.has(p), `${c.name}: ${p}`).toBe(true);
      }
      expect(c.provenance?.source, c.name).toBeTruthy();
    }
    for (const l of logs) expect((l.files ?? []).map((f) => f.path)).toContain(l.path);
  });
});

/** LINKTYPE_ numbers of each link-layer name the manifest uses (raw IP has three). */
const LINK_TYPES: Readonly<Record<string, readonly number[]>> = {
  ethernet: [1],
  sll: [113],
  sll2: [276],
  null: [0],
  raw: [101, 12, 14, 228],
};

describe.runIf(captures.length > 0)('captures', () => {
  it('has the case the README demo points at', () => {
    expect(getCapture('strongswan-mm-psk-3des-sha1-modp1024').path).toBe(
      'cases/strongswan-mm-psk-3des-sha1-modp1024/capture.pcap',
    );
  });

  it.each(captures.map((c) => [c.name, c]))('%s has notes, provenance and, with keys, a decrypted golden', (_, c) => {
    expect(c.notes).toBe(`cases/${c.name}/NOTES.md`);
    if (c.provenance?.kind === 'synthesized') {
      // Both peers played by @oaklog/synth: the generator, its seed, and the client's expected View Log beside it.
      expect(c.provenance.generator).toMatch(/^@oaklog\/synth /);
      expect(c.provenance.seed).toBeTruthy();
      expect(c.provenance.source).toMatch(/^oaklog synth packages\/synth\/scenarios\/[a-z0-9-]+\.json /);
      expect(c.expectedLog).toBe(`cases/${c.name}/expected.log`);
    } else {
      expect(c.provenance?.kind).toBe('captured');
      expect(c.provenance?.initiator).toBeTruthy();
    }
    expect(c.shows).toBeTruthy();
    if (c.keys !== undefined) expect(c.tsharkDecryptedGolden).toBeDefined();
  });

  it('covers pcap and pcapng, Ethernet and Linux cooked captures', () => {
    expect(new Set(captures.map((c) => c.format))).toEqual(new Set(['pcap', 'pcapng']));
    expect(new Set(captures.map((c) => c.linkType))).toEqual(new Set(['ethernet', 'sll']));
  });

  it.each(allCaptures.map((c) => [c.name, c]))('%s starts with the magic of its format', (_, c) => {
    const b = readCorpusBytes(c.path);
    const magic = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join('');
    if (c.format === 'pcapng') expect(magic).toBe('0a0d0d0a');
    else expect(['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d']).toContain(magic);
  });

  it.each(allCaptures.map((c) => [c.name, c]))('%s: record count and link type agree with the manifest', (_, c) => {
    const { records, linkType } = countRecords(readCorpusBytes(c.path), c.format);
    expect(records).toBe(c.expect?.frames);
    expect(LINK_TYPES[c.linkType ?? 'ethernet']).toContain(linkType);
  });

  it('has one scenario folder per capture case, with the configuration both daemons ran', () => {
    const scenarios = readdirSync(join(corpusRoot, 'tools/scenarios')).sort();
    expect(scenarios).toEqual(captures.map((c) => c.name).sort());
    for (const name of scenarios) {
      const files = readdirSync(join(corpusRoot, 'tools/scenarios', name));
      // A synthesized case's whole configuration is its scenario file (in packages/synth/scenarios).
      const synthesized = getCapture(name).provenance?.kind === 'synthesized';
      expect(files, name).toEqual(
        synthesized
          ? ['scenario.json']
          : expect.arrayContaining(['scenario.env', 'scenario.json', 'a', 'b', 'last-run.json']),
      );
    }
  });

  it('stays small', () => {
    const total = (third: boolean) =>
      [...listed.entries()]
        .filter(([path]) => path.startsWith(THIRD_PARTY_PREFIX) === third)
        .reduce((a, [, f]) => a + f.bytes, 0);
    expect(total(false)).toBeLessThan(20 * 1024 * 1024);
    expect(total(true)).toBeLessThan(15 * 1024 * 1024);
    for (const c of allCaptures) expect(readCorpusBytes(c.path).length, c.name).toBeLessThan(512 * 1024);
  });

  it.each(allCaptures.map((c) => [c.name, c]))('%s: tshark golden agrees with the manifest', (_, c) => {
    expect(c.tsharkGolden, c.name).toBeDefined();
    const frames = readCorpusJson<{ _source: { layers: Record<string, unknown> } }[]>(c.tsharkGolden!);
    expect(Array.isArray(frames)).toBe(true);
    expect(frames.length).toBe(c.expect?.frames);
    const isakmp = frames.flatMap((f) => {
      const m = f._source.layers.isakmp;
      return m === undefined ? [] : Array.isArray(m) ? m : [m];
    });
    expect(isakmp.length).toBe(c.expect?.isakmpPackets);
    expect(c.expect?.exchanges?.length).toBe(isakmp.length);
    expect(c.expect?.messages?.map((m) => m.exchange)).toEqual(c.expect?.exchanges);
    expect(c.expect?.messages?.map((m) => m.encrypted)).toEqual(c.expect?.encrypted);
    if (c.tsharkDecryptedGolden !== undefined) {
      const dec = readCorpusJson<unknown[]>(c.tsharkDecryptedGolden);
      expect(dec.length).toBe(frames.length);
    }
  });

  it.each(allCaptures.map((c) => [c.name, c]))('%s: the messages show the declared outcome', (_, c) => {
    const msgs = c.expect?.messages ?? [];
    const notified = (type: number, encrypted: boolean) =>
      msgs.some((m) => m.exchange === 'INFO' && m.encrypted === encrypted && (m.notifies ?? []).includes(type));
    const phase1 = msgs.filter((m) => m.exchange === 'MM' || m.exchange === 'AG');
    switch (c.expect?.outcome) {
      case 'peer-not-responding':
        expect(msgs.length).toBeGreaterThan(1);
        expect(new Set(msgs.map((m) => m.from)).size).toBe(1);
        // The same first phase-1 message again and again (main or aggressive mode).
        expect(new Set(msgs.map((m) => m.exchange)).size).toBe(1);
        expect(['MM', 'AG']).toContain(msgs[0]?.exchange);
        break;
      case 'phase1-proposal-rejected':
        expect(notified(14, false)).toBe(true);
        expect(msgs.some((m) => m.encrypted)).toBe(false);
        break;
      case 'phase2-proposal-rejected':
        expect(notified(14, true)).toBe(true);
        expect(msgs.some((m) => m.exchange === 'QM')).toBe(true);
        break;
      case 'psk-mismatch':
        // The responder never gets to send an encrypted phase-1 message (its ID/HASH in main mode).
        expect(phase1.some((m) => m.from === '192.0.2.2' && m.encrypted)).toBe(false);
        expect(phase1.length).toBeGreaterThan(1);
        break;
      case 'mode-config-failed':
        // The attributes exchange starts and the client reports a malformed payload (PAYLOAD-MALFORMED, 16).
        expect(msgs.some((m) => m.exchange === 'TRANS')).toBe(true);
        expect(notified(16, true)).toBe(true);
        break;
      case 'dpd-peer-dead': {
        // Tunnel up, then the initiator's R-U-THERE (36136) outnumber the R-U-THERE-ACKs (36137) it gets back.
        const count = (from: string, type: number) =>
          msgs.filter((m) => m.from === from && (m.notifies ?? []).includes(type)).length;
        expect(msgs.some((m) => m.exchange === 'QM')).toBe(true);
        expect(count('192.0.2.1', 36136)).toBeGreaterThan(count('192.0.2.2', 36137));
        break;
      }
      case 'established':
        // A complete phase 1 from both ends: main mode (6) or aggressive mode (3), the last one encrypted.
        expect(phase1.filter((m) => m.encrypted || m.payloads.includes(132)).length).toBeGreaterThan(0);
        expect(new Set(phase1.map((m) => m.from)).size).toBe(2);
        break;
      case 'not-asserted':
        // A published capture whose outcome the corpus does not claim (IKEv2, one message, a fuzzed file).
        expect(isThirdParty(c)).toBe(true);
        break;
      default:
        throw new Error(`${c.name}: unknown outcome ${c.expect?.outcome}`);
    }
  });

  it.each(captures.filter((c) => c.keys !== undefined).map((c) => [c.name, c]))(
    '%s: the two key files agree',
    (_, c) => {
      expect(c.wiresharkKeys).toBeDefined();
      const ours = readCorpusJson<KeysFile>(c.keys!);
      const theirs = parseWiresharkKeys(readCorpusText(c.wiresharkKeys!));
      expect(ours.ikeSas.length).toBeGreaterThan(0);
      const fromOurs = ours.ikeSas.map((sa) => ({
        initiatorCookie: sa.initiatorCookie,
        encryptionKey: sa.encryptionKey.initiator ?? sa.encryptionKey.responder ?? '',
      }));
      expect(theirs).toEqual(fromOurs);
      for (const sa of ours.ikeSas) {
        expect(sa.initiatorCookie).toMatch(/^[0-9a-f]{16}$/);
        expect(sa.responderCookie).toMatch(/^[0-9a-f]{16}$/);
        const { initiator, responder } = sa.encryptionKey;
        // Both ends derive the same Ka, unless their pre-shared keys differ (then SKEYID differs too).
        if (initiator !== undefined && responder !== undefined && c.expect?.outcome !== 'psk-mismatch') {
          expect(initiator).toBe(responder);
        }
        // Every IKE SA with keys appears in the capture.
        expect(c.expect?.ikeSas).toContain(sa.initiatorCookie);
      }
    },
  );
});

describe('third-party captures', () => {
  it.skipIf(thirdPartyRoot !== undefined)('are not on this machine (no third-party/manifest.json found)', () => {});

  it.runIf(thirdPartyRoot !== undefined)('their manifest lists every file of their folder, and only theirs', () => {
    const files = walk(thirdPartyRoot!, THIRD_PARTY_PREFIX).filter((f) => f !== `${THIRD_PARTY_PREFIX}manifest.json`);
    expect(files.filter((f) => !listed.has(f))).toEqual([]);
    expect(loadThirdPartyManifest().captures?.length).toBe(thirdParty.length);
    for (const c of thirdParty) for (const f of c.files ?? []) expect(f.path.startsWith(THIRD_PARTY_PREFIX)).toBe(true);
  });

  it.each(thirdParty.map((c) => [c.name, c]))('%s: provenance, licence and the upstream bytes', (_, c) => {
    const p = c.provenance!;
    expect(p.kind).toBe('published');
    expect(p.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
    for (const id of [p.commit, p.lastChangedIn, p.blob]) expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(p.licence).toMatch(/^[A-Za-z0-9.+-]+$/);
    const paths = (c.files ?? []).map((f) => f.path);
    const dir = c.path.slice(0, c.path.indexOf('/', THIRD_PARTY_PREFIX.length) + 1);
    expect(paths).toEqual(expect.arrayContaining([c.path, p.licenceFile, `${dir}SOURCE.md`, `${dir}sources.json`]));
    expect(readCorpusText(p.licenceFile!).length).toBeGreaterThan(200);
    // The git blob id of the bytes here is the one upstream recorded: the copy is byte-exact.
    const bytes = readCorpusBytes(c.path);
    const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    expect(blob).toBe(p.blob);
    expect(readCorpusText(`${dir}SOURCE.md`)).toContain(`\`${p.upstreamPath}\``);
    // No keys, notes or daemons: nothing here claims more than the upstream project published.
    expect([c.keys, c.wiresharkKeys, c.notes, c.tsharkDecryptedGolden, p.initiator]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(c.shows).toBeTruthy();
  });
});

describe('logs', () => {
  it('has the four documented scenarios and every dialect', () => {
    const names = logs.map((l) => l.name);
    for (const n of [
      'safenet-mm-psk',
      'safenet-ag-psk',
      'safenet-peer-not-responding',
      'safenet-qm-no-proposal-chosen',
    ]) {
      expect(names).toContain(n);
      expect(names).toContain(`${n}-timed`);
    }
    expect(new Set(logs.map((l) => l.dialect))).toEqual(new Set(['safenet', 'cisco-vpnclient', 'gateway']));
  });

  it.each(logs.map((l) => [l.name, l]))('%s has the declared line endings and line count', (_, l) => {
    const text = readCorpusText(l.path);
    const crlf = text.split('\r\n').length - 1;
    const lf = text.split('\n').length - 1;
    expect(lf).toBeGreaterThan(0);
    expect(text.endsWith('\n')).toBe(true);
    if (l.lineEnding === 'crlf') expect(crlf).toBe(lf);
    else expect(l.lineEnding === 'lf' && crlf === 0).toBe(true);
    expect(lf).toBe(l.lines);
  });

  it.each(logs.map((l) => [l.name, l]))('%s has one exchange per ISAKMP OAK line', (_, l) => {
    const lines = readCorpusText(l.path).split(/\r?\n/);
    const oak = lines.flatMap((s) => {
      const m = /ISAKMP OAK (\w+) /.exec(s);
      return m ? [m[1]] : [];
    });
    expect(oak).toEqual(l.expect?.exchanges);
    if (l.dialect === 'safenet') {
      const timed = lines.filter((s) => /^\d\d:\d\d:\d\d\.\d\d\d /.test(s)).length;
      if (l.timestamps) expect(timed).toBeGreaterThan(0);
      else expect(timed).toBe(0);
    }
  });
});
