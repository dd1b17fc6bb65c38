/**
 * `oaklog diagnose` of a capture: the same judgement as `oaklog view` then `oaklog diagnose` of that View Log, with the
 * evidence named by capture frame; what a capture alone can say (IKEv2, no IKE, undecodable datagrams, a truncated
 * file, keys that did not decrypt); and the files that are neither.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusPath, corpusRoot, getCapture, listCaptures, readCorpusText } from '@oaklog/corpus';
import { parseKeysJson } from '@oaklog/crypto';
import { build, encode, type Payload } from '@oaklog/isakmp';
import { readCaptureBytes } from '@oaklog/pcap';
import { viewCapture } from '@oaklog/pipeline';
import { describe, expect, it } from 'vitest';
import { oaklog } from './run-cli';
import { cookie, datagram, ikev2, type Msg, mainMode, notify, raw, writeCapture, writeMessages } from './scenario';

const scratch = mkdtempSync(join(tmpdir(), 'oaklog-diagnose-'));
const A = '192.0.2.1';
const B = '192.0.2.2';
const AUTHENTICATION_FAILED = 24;
const NO_PROPOSAL_CHOSEN = 14;

/** Where an evidence line says it came from: `line 7`, `frame 12`, `end of capture`. */
const EVIDENCE = /^ {2}(line \d+|frame \d+|end of capture): /;
/** A diagnosis head: `<connection> phase <n>: <outcome>`. */
const HEAD = /^(.+) phase ([12]): ([a-z-]+)( \(implied\))?$/;

interface Report {
  /** What is said before the first diagnosis (verdict, the capture's facts). */
  readonly preamble: string[];
  /** Each diagnosis's lines, the evidence's location replaced by `@`. */
  readonly diagnoses: string[][];
  /** The evidence locations, in order. */
  readonly where: string[];
  /** The heads, `connection phase n: outcome`. */
  readonly heads: string[];
}

function reportOf(stdout: readonly string[]): Report {
  const preamble: string[] = [];
  const diagnoses: string[][] = [];
  const where: string[] = [];
  for (const line of stdout) {
    if (HEAD.test(line)) diagnoses.push([line]);
    else if (diagnoses.length === 0) preamble.push(line);
    else {
      const at = EVIDENCE.exec(line)?.[1];
      if (at !== undefined) where.push(at);
      diagnoses.at(-1)?.push(line.replace(EVIDENCE, '  @: '));
    }
  }
  return { preamble, diagnoses, where, heads: diagnoses.map((d) => d[0] ?? '') };
}

/** What one of view's summary lines on stderr tells, as a key to match the report's sentence on it. */
function noteOf(line: string): string | undefined {
  let m = /^oaklog: the capture ends while (\d+) negotiation/.exec(line);
  if (m) return `cut ${m[1]}`;
  m = /^oaklog: (\d+) of (\d+) encrypted messages could not be decrypted/.exec(line);
  if (m) return `undecrypted ${m[1]}/${m[2]}`;
  m = /^oaklog: (\d+) encrypted messages show their first payload only/.exec(line);
  if (m) return `no keys ${m[1]}`;
  m = /^oaklog: (\d+) IKEv2 datagrams? left out of the View Log .*: (frames? .*)$/.exec(line);
  if (m) return `ikev2 ${m[1]} ${m[2]}`;
  m = /^oaklog: (\d+) malformed frames?: (.*) \(see oaklog decode --all\)$/.exec(line);
  if (m) return `malformed ${m[1]}: ${m[2]}`;
  if (/truncated file/.test(line)) return 'truncated';
  return undefined;
}

/** The same key for a sentence of the capture's report (undefined: a sentence view has no line for). */
function factOf(line: string): string | undefined {
  let m = /^The capture ends while (\d+) negotiation/.exec(line);
  if (m) return `cut ${m[1]}`;
  m = /^(\d+) of (\d+) encrypted messages could not be decrypted/.exec(line);
  if (m) return `undecrypted ${m[1]}/${m[2]}`;
  m = /^(\d+) encrypted messages were read without keys/.exec(line);
  if (m) return `no keys ${m[1]}`;
  m = /^This capture also holds IKEv2 \((\d+) IKEv2 datagrams?: (frames? [^)]*)\)/.exec(line);
  if (m) return `ikev2 ${m[1]} ${m[2]}`;
  m = /^(\d+) frames? (?:is|are) malformed \((.*); see oaklog decode --all\)/.exec(line);
  if (m) return `malformed ${m[1]}: ${m[2]}`;
  if (/truncated file/.test(line)) return 'truncated';
  return line;
}

/** The View Log of `lines` written to a scratch file, for `diagnose` to read as a log. */
function logFile(name: string, lines: readonly string[]): string {
  const path = join(scratch, `${name}.log`);
  writeFileSync(path, lines.map((line) => `${line}\n`).join(''));
  return path;
}

/** `view` of the capture, then `diagnose` of what it printed: the oracle a capture's diagnosis must match. */
async function viaLog(name: string, ...args: string[]) {
  const view = await oaklog('view', ...args);
  return { view, diagnose: await oaklog('diagnose', logFile(name, view.stdout)) };
}

describe('diagnose of a corpus capture judges as diagnose of its View Log', () => {
  it.each(listCaptures().map((c) => c.name))('%s', async (name) => {
    const c = getCapture(name);
    const path = corpusPath(c.path);
    const direct = await oaklog('diagnose', path);
    const { view, diagnose } = await viaLog(name, path);
    const capture = reportOf(direct.stdout);
    const log = reportOf(diagnose.stdout);
    // Our own captures each hold a negotiation to judge; a published one may hold IKEv2 only, or nothing readable.
    if (c.provenance?.kind !== 'published') expect(capture.diagnoses.length).toBeGreaterThan(0);
    // The same diagnoses (connection, phase, outcome, summary, reason, evidence text, next step), in the same order.
    expect(capture.diagnoses).toEqual(log.diagnoses);
    expect(log.where.every((w) => w.startsWith('line '))).toBe(true);
    // Each evidence line of the log names the frame whose item printed that line (the library pass is the oracle).
    const keys = c.keys === undefined ? [] : parseKeysJson(readCorpusText(c.keys)).ikeSas;
    const frameOfLine: (number | undefined)[] = [undefined];
    for await (const item of viewCapture(readCaptureBytes(new Uint8Array(readFileSync(path))), { keys }))
      if (item.kind === 'event') for (const _ of item.lines) frameOfLine.push(item.frame);
    expect(frameOfLine.length - 1).toBe(view.stdout.length);
    expect(capture.where).toEqual(
      log.where.map((w) => {
        const frame = frameOfLine[Number(w.slice('line '.length))];
        return frame === undefined ? 'end of capture' : `frame ${frame}`;
      }),
    );
    // Nothing to judge (IKEv2 only, nothing readable): both say so instead of judging, and neither claims a phase.
    if (log.diagnoses.length === 0) {
      expect(log.preamble.length).toBeGreaterThan(0);
      expect(capture.preamble.length).toBeGreaterThan(0);
      return;
    }
    // The log's diagnoses speak for it (no verdict before them); the capture's report says first what view's summary
    // lines say of the capture, each by its numbers.
    expect(log.preamble).toEqual([]);
    // (Its verdict that too little was understood rests on the problems view lists line by line, not on a note.)
    expect(
      capture.preamble
        .filter((l) => !l.startsWith('Too little of this capture'))
        .map(factOf)
        .sort(),
    ).toEqual(
      view.stderr
        .map(noteOf)
        .filter((x) => x !== undefined)
        .sort(),
    );
    // A failed phase exits 1, for the log and the capture alike; the capture's problems too, as view's.
    const failed = diagnose.stdout.some((l) => /^\S.* phase [12]: (?!established|deleted)/.test(l));
    expect(diagnose.code).toBe(failed ? 1 : 0);
    expect(direct.code).toBe(Math.max(view.code, diagnose.code));
  });
});

describe('diagnose of a capture, per conversation and per attempt', () => {
  it('reports an early failed attempt and the success after it, in order, the final state last', async () => {
    const failed = [
      ...mainMode(A, B, cookie(1), cookie(0x81), 0).slice(0, 5),
      notify(B, A, cookie(1), cookie(0x81), 0.05, AUTHENTICATION_FAILED),
    ];
    const path = writeMessages(scratch, 'failed-then-up.pcap', [
      ...failed,
      ...mainMode(A, B, cookie(2), cookie(0x82), 5),
    ]);
    const { code, stdout, stderr } = await oaklog('diagnose', '--no-keys', path);
    const report = reportOf(stdout);
    expect(report.heads).toEqual(['192.0.2.2 phase 1: authentication-failed', '192.0.2.2 phase 1: established']);
    // The failure rests on the notify (frame 6), the success on the second main mode (frames 7 to 12).
    expect(report.diagnoses[0]).toContainEqual(
      expect.stringMatching(/^ {2}@: .*INFO \(NOTIFY:AUTHENTICATION_FAILED\)$/),
    );
    expect(stdout).toContainEqual(expect.stringMatching(/^ {2}frame 6: .*INFO \(NOTIFY:AUTHENTICATION_FAILED\)$/));
    expect(stdout).toContainEqual(expect.stringMatching(/^ {2}frame 12: .*RECEIVED<<<< ISAKMP OAK MM \*\(HASH\)$/));
    expect(report.where.every((w) => /^frame ([1-9]|1[0-2])$|^end of capture$/.test(w))).toBe(true);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    // The log path says the same.
    const log = reportOf((await viaLog('failed-then-up', '--no-keys', path)).diagnose.stdout);
    expect(report.diagnoses).toEqual(log.diagnoses);
  });

  it('an error notify the exchange goes on past does not undo its Established (zeek-spicy-ipsec ipsec.cap)', async () => {
    // The initiator answers MM2 with an unencrypted NO_PROPOSAL_CHOSEN (responder cookie zero), the responder resends
    // MM2, and main mode goes on to MM6 under the same cookies: the IKE SA came up, as the later messages show.
    const [mm1, mm2, ...rest] = mainMode(A, B, cookie(3), cookie(0x83), 0);
    const path = writeMessages(scratch, 'stray-notify-then-up.pcap', [
      mm1 as Msg,
      mm2 as Msg,
      { ...notify(A, B, cookie(3), new Uint8Array(8), 0.015, NO_PROPOSAL_CHOSEN), messageId: 0 },
      { ...(mm2 as Msg), t: 1 },
      ...rest.map((m) => ({ ...m, t: m.t + 1 })),
    ]);
    const viewed = (await oaklog('view', '--no-keys', path)).stdout;
    expect(viewed).toContainEqual(expect.stringMatching(/SENDING>>>> ISAKMP OAK INFO \(NOTIFY:NO_PROPOSAL_CHOSEN\)$/));
    expect(viewed).toContainEqual(expect.stringMatching(/ - Established IKE SA$/));
    const { code, stdout } = await oaklog('diagnose', '--no-keys', path);
    expect(reportOf(stdout).heads).toEqual(['192.0.2.2 phase 1: established']);
    expect(code).toBe(0);
    // A notify the exchange does not go on past still ends it.
    const stopped = writeMessages(scratch, 'notify-then-silence.pcap', [
      mm1 as Msg,
      mm2 as Msg,
      { ...notify(A, B, cookie(3), new Uint8Array(8), 0.015, NO_PROPOSAL_CHOSEN), messageId: 0 },
    ]);
    expect(reportOf((await oaklog('diagnose', '--no-keys', stopped)).stdout).heads).toEqual([
      '192.0.2.2 phase 1: proposal-rejected',
    ]);
  });

  it('reports an unanswered attempt and the success after it, with the resends as evidence by frame', async () => {
    const mm1 = mainMode(A, B, cookie(1), cookie(0x81), 0)[0] as Msg;
    const path = writeMessages(scratch, 'silent-then-up.pcap', [
      mm1,
      { ...mm1, t: 1 },
      { ...mm1, t: 3 },
      ...mainMode(A, B, cookie(2), cookie(0x82), 40),
    ]);
    const { stdout } = await oaklog('diagnose', '--no-keys', path);
    const report = reportOf(stdout);
    expect(report.heads).toEqual(['192.0.2.2 phase 1: peer-not-responding', '192.0.2.2 phase 1: established']);
    // The capture shows the silence after the last resend, up to the new attempt: the client gave up before it.
    expect(report.diagnoses[0]?.[1]).toBe(
      '  Phase 1 (IKE SA) got no answer from the peer after 2 retransmissions and the client gave up.',
    );
    expect(stdout).toContainEqual(
      expect.stringMatching(/^ {2}frame 2: .*SENDING>>>> ISAKMP OAK MM \(Retransmission\)$/),
    );
    expect(stdout).toContainEqual(
      expect.stringMatching(/^ {2}frame 3: .*SENDING>>>> ISAKMP OAK MM \(Retransmission\)$/),
    );
  });

  it('judges each conversation under its own connection name (a gateway capture, two clients)', async () => {
    const G = '203.0.113.1';
    const c1 = '198.51.100.11';
    const c2 = '198.51.100.12';
    const path = writeMessages(scratch, 'gateway.pcap', [
      ...mainMode(c1, G, cookie(1), cookie(0x81), 0).slice(0, 5),
      notify(G, c1, cookie(1), cookie(0x81), 0.3, AUTHENTICATION_FAILED),
      ...mainMode(c2, G, cookie(2), cookie(0x82), 0.001),
    ]);
    const report = reportOf((await oaklog('diagnose', '--no-keys', path)).stdout);
    expect(report.heads).toEqual([`${G} phase 1: authentication-failed`, `${G} (${c2}) phase 1: established`]);
    // From the gateway's side: one connection per client, named after it.
    const local = reportOf((await oaklog('diagnose', '--no-keys', '--local', G, path)).stdout);
    expect(local.heads).toEqual([`${c1} phase 1: authentication-failed`, `${c2} phase 1: established`]);
    // --peer keeps one conversation; --connection names it.
    const one = reportOf(
      (await oaklog('diagnose', '--no-keys', '--local', G, '--peer', c2, '--connection', 'Branch', path)).stdout,
    );
    expect(one.heads).toEqual(['Branch phase 1: established']);
    const byCookie = reportOf(
      (await oaklog('diagnose', '--no-keys', '--cookie', 'c0:00:00:00:00:00:00:01', path)).stdout,
    );
    expect(byCookie.heads).toEqual([`${G} phase 1: authentication-failed`]);
  });

  // Judged by @oaklog/viewlog's diagnoser from the lines the bridge writes: what each test states must hold.

  it('two negotiations between the same hosts at once are judged apart: the second is `<peer> #2`', async () => {
    // Two main modes between the same two hosts at once (cookies 1 and 2), their messages interleaved; the peer
    // rejects the first (AUTHENTICATION_FAILED), the second completes: `Established IKE SA / MY COOKIE c0 … 2`.
    const first = mainMode(A, B, cookie(1), cookie(0x81), 0, 0.02).slice(0, 5);
    const second = mainMode(A, B, cookie(2), cookie(0x82), 0.01, 0.02);
    const path = writeMessages(scratch, 'crossing-same-hosts.pcap', [
      ...first,
      notify(B, A, cookie(1), cookie(0x81), 0.105, AUTHENTICATION_FAILED),
      ...second,
    ]);
    const { stdout } = await oaklog('diagnose', '--no-keys', path);
    expect(stdout).toContainEqual(expect.stringMatching(/Established IKE SA\n {3}MY COOKIE c0 0 0 0 0 0 0 2/));
    // The bridge names the second conversation `192.0.2.2 #2` while the first is still negotiating (the diagnoser
    // judges by connection name: under one name the Established line was folded into the failed attempt).
    expect(reportOf(stdout).heads).toEqual([
      '192.0.2.2 phase 1: authentication-failed',
      '192.0.2.2 #2 phase 1: established',
    ]);
  });

  it('seen from the responder (--local), an unanswered first attempt is judged apart from the success after it', async () => {
    // The peer (A) sends MM1 three times to us (B) and gets no answer; 40 s later a new main mode (cookie 2) completes.
    const mm1 = mainMode(A, B, cookie(1), cookie(0x81), 0)[0] as Msg;
    const path = writeMessages(scratch, 'responder-silent-then-up.pcap', [
      mm1,
      { ...mm1, t: 1 },
      { ...mm1, t: 3 },
      ...mainMode(A, B, cookie(2), cookie(0x82), 40),
    ]);
    const heads = reportOf((await oaklog('diagnose', '--no-keys', '--local', B, path)).stdout).heads;
    // It was one diagnosis, `192.0.2.1 phase 1: established`, whose attempt held both conversations' MM1.
    expect(heads).toEqual(['192.0.2.1 phase 1: failed', '192.0.2.1 phase 1: established']);
    const report = reportOf((await oaklog('diagnose', '--no-keys', '--local', B, path)).stdout);
    expect(report.diagnoses[0]?.join('\n')).toMatch(/this side never answered the peer’s proposal/);
  });

  it('the Exceeded line of an earlier attempt comes before the next attempt, as evidence of the earlier one only', async () => {
    const mm1 = mainMode(A, B, cookie(1), cookie(0x81), 0)[0] as Msg;
    const path = writeMessages(scratch, 'silent-then-up-exceeded.pcap', [
      mm1,
      { ...mm1, t: 1 },
      { ...mm1, t: 3 },
      ...mainMode(A, B, cookie(2), cookie(0x82), 40),
    ]);
    const report = reportOf((await oaklog('diagnose', '--no-keys', path)).stdout);
    expect(report.heads).toEqual(['192.0.2.2 phase 1: peer-not-responding', '192.0.2.2 phase 1: established']);
    // The bridge writes `Exceeded 2 IKE SA negotiation attempts` when we start again (it was written at the capture's
    // end, after the success, and counted as the established attempt's evidence).
    expect(report.diagnoses[0]?.join('\n')).toMatch(/@: .*Exceeded 2 IKE SA negotiation attempts/);
    expect(report.diagnoses[1]?.join('\n')).not.toMatch(/Exceeded/);
  });
});

describe('diagnose of a capture says what the capture holds', () => {
  it('a malformed frame: view and diagnose name it, its reason and its byte offset, alike', async () => {
    // The second frame's UDP length field claims more than its IP packet holds (tcpdump's isakmp-delete-segfault):
    // Ethernet capture, so the field is at 24 + 16 + 14 + 20 + 4 bytes into the file past the first record.
    const path = writeMessages(scratch, 'udp-length-lie.pcap', mainMode(A, B, cookie(4), cookie(0x84), 0).slice(0, 3));
    const bytes = readFileSync(path);
    const firstRecord = 16 + bytes.readUInt32LE(24 + 8);
    const at = 24 + firstRecord + 16 + 14 + 20 + 4;
    bytes.writeUInt16BE(0xffff, at);
    writeFileSync(path, bytes);
    const view = await oaklog('view', '--no-keys', path);
    expect(view.stderr).toContain(
      `oaklog: 1 malformed frame: frame 2 (bad-udp-length at byte ${at}) (see oaklog decode --all)`,
    );
    expect(view.code).toBe(1);
    const { stdout } = await oaklog('diagnose', '--no-keys', path);
    expect(stdout).toContainEqual(
      expect.stringContaining(`1 frame is malformed (frame 2 (bad-udp-length at byte ${at}); see oaklog decode --all)`),
    );
  });

  it('IKEv2 only: says so, names the frames as view does, and claims nothing about IKEv1 phases', async () => {
    const path = writeCapture(scratch, 'ikev2-only.pcap', [
      raw({ from: A, to: B, t: 0 }, ikev2(34)),
      raw({ from: A, to: B, t: 1 }, ikev2(35)),
    ]);
    const { code, stdout, stderr } = await oaklog('diagnose', '--no-keys', path);
    expect(stdout).toEqual([
      'This capture holds IKEv2 only (2 IKEv2 datagrams: frames 1, 2), which oaklog does not judge: it reads IKEv1 (ISAKMP) negotiations, as the VPN clients logged them.',
    ]);
    expect(stdout.join('\n')).not.toMatch(/phase|established|Too little/i);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
  });

  it('IKEv1 and IKEv2: diagnoses the IKEv1 negotiation and names the IKEv2 frames with the words view uses', async () => {
    const path = writeCapture(scratch, 'mixed.pcap', [
      raw({ from: A, to: B, t: 0 }, ikev2(34)),
      ...[
        ...mainMode(A, B, cookie(1), cookie(0x81), 1).slice(0, 5),
        notify(B, A, cookie(1), cookie(0x81), 1.05, 14),
      ].map(datagram),
      raw({ from: A, to: B, t: 2 }, ikev2(35)),
    ]);
    const { code, stdout } = await oaklog('diagnose', '--no-keys', path);
    expect(stdout[0]).toBe(
      'This capture also holds IKEv2 (2 IKEv2 datagrams: frames 1, 8), which oaklog does not judge: what follows rests on its 6 IKEv1 datagrams only.',
    );
    expect(reportOf(stdout).heads).toEqual(['192.0.2.2 phase 1: proposal-rejected']);
    // The count and the frame list are view's own words.
    const view = await oaklog('view', '--no-keys', path);
    expect(view.stderr).toContain(
      'oaklog: 2 IKEv2 datagrams left out of the View Log (the clients never logged IKEv2): frames 1, 8',
    );
    // Phase 1 was rejected: exit 1 whatever view says of the capture.
    expect(code).toBe(Math.max(view.code, 1));
  });

  it('only dead peer detection: says, in viewlog verdict words about the capture, that no phase was negotiated', async () => {
    const rUThere = (from: string, to: string, t: number, type: number): Msg => ({
      ...notify(from, to, cookie(1), cookie(0x81), t, type),
      messageId: 100 + t,
    });
    const path = writeMessages(scratch, 'dpd-only.pcap', [rUThere(A, B, 0, 36136), rUThere(B, A, 1, 36137)]);
    const { code, stdout } = await oaklog('diagnose', '--no-keys', path);
    const log = (await viaLog('dpd-only', '--no-keys', path)).diagnose.stdout;
    expect(log).toEqual([expect.stringMatching(/^This log shows no IKE negotiation: its 2 lines about IKE/)]);
    expect(stdout).toEqual([log[0]?.replace('This log', 'The View Log of this capture')]);
    expect(code).toBe(0);
  });

  it('no IKE at all: says there is nothing to judge, never a diagnosis', async () => {
    const path = writeCapture(scratch, 'dns.pcap', [
      raw({ from: A, to: B, t: 0, port: 53 }, Uint8Array.of(0, 1, 2, 3)),
    ]);
    const { code, stdout, stderr } = await oaklog('diagnose', path);
    expect(stdout).toEqual(['This capture holds no IKE datagram (1 frame read): there is nothing to judge.']);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
  });

  it('--peer matching nothing: says so, nothing to judge', async () => {
    const c = getCapture('strongswan-mm-psk-3des-sha1-modp1024');
    const { code, stdout } = await oaklog('diagnose', '--peer', '203.0.113.99', corpusPath(c.path));
    expect(stdout).toEqual([
      `No IKE datagram of this capture matches --peer/--cookie (${c.expect?.isakmpPackets} IKE datagrams left out): there is nothing to judge.`,
    ]);
    expect(code).toBe(0);
  });

  it('a truncated capture: judges what it holds, says it is cut, exits 1 as view does', async () => {
    const capture = join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024/capture.pcap');
    const cut = join(scratch, 'cut.pcap');
    writeFileSync(cut, readFileSync(capture).subarray(0, 1000));
    const direct = await oaklog('diagnose', '--no-keys', cut);
    const { view, diagnose } = await viaLog('cut', '--no-keys', cut);
    expect(direct.stdout).toContain(
      'The capture file ends inside a record (truncated file): whatever came after is missing.',
    );
    expect(reportOf(direct.stdout).diagnoses).toEqual(reportOf(diagnose.stdout).diagnoses);
    expect(reportOf(direct.stdout).heads).toEqual(['192.0.2.2 phase 1: incomplete']);
    expect(view.code).toBe(1);
    expect(direct.code).toBe(1);
  });

  it('undecodable datagrams: stderr lines as view prints them, counted in the report, exit 1 as view does', async () => {
    const mm1 = (payloads: Payload[]) =>
      encode(build.message({ initiatorCookie: cookie(1), exchangeType: 2, payloads }));
    const bad = mm1([build.sa({ proposals: [] })]);
    bad[27] = 0; // the header's length drops to 0 below the SA payload: the payload runs past it
    const vendorIdZero = mm1([build.vendorId(Uint8Array.of(1, 2, 3, 4))]);
    vendorIdZero[30] = 0;
    vendorIdZero[31] = 0; // the vendor ID payload's length is 0
    const path = writeCapture(scratch, 'undecodable.pcap', [
      raw({ from: A, to: B, t: 0 }, mm1([build.sa({ proposals: [] })])),
      raw({ from: A, to: B, t: 1 }, bad),
      raw({ from: A, to: B, t: 2 }, vendorIdZero),
    ]);
    const direct = await oaklog('diagnose', '--no-keys', path);
    const view = await oaklog('view', '--no-keys', path);
    const problems = (lines: string[]) => lines.filter((l) => l.startsWith('#'));
    expect(problems(direct.stderr)).toEqual([
      // A header length of 0 frames no message: undecodable, no line (tshark calls it UDP data).
      expect.stringMatching(/^#2 192\.0\.2\.1:500 -> 192\.0\.2\.2:500 undecodable: BAD_LENGTH at byte 24: /),
      expect.stringMatching(/^#3 192\.0\.2\.1:500 -> 192\.0\.2\.2:500 partly unreadable: /),
    ]);
    expect(problems(direct.stderr)).toEqual(problems(view.stderr));
    expect(direct.stdout[0]).toBe(
      'Too little of this capture was understood to judge it: 2 of its 3 IKE datagrams did not decode whole (listed on stderr). The diagnoses below rest on the datagrams it read.',
    );
    expect(view.code).toBe(1);
    expect(direct.code).toBe(1);
  });

  it('keys that decrypt nothing: counts the messages left encrypted, exits 1 as view does', async () => {
    const caseDir = join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024');
    const table = readFileSync(join(caseDir, 'ikev1_decryption_table'), 'utf8');
    const wrong = join(scratch, 'wrong_table');
    writeFileSync(
      wrong,
      table.replace(
        /,([0-9a-f]+)/i,
        (_m, key: string) => `,${key.replace(/[0-9a-f]/gi, (d) => (d === '0' ? '1' : '0'))}`,
      ),
    );
    const capture = join(caseDir, 'capture.pcap');
    const direct = await oaklog('diagnose', '--keys', wrong, capture);
    const view = await oaklog('view', '--keys', wrong, capture);
    expect(direct.stdout).toContainEqual(
      expect.stringMatching(/^(\d+) of \1 encrypted messages could not be decrypted \(wrong or missing keys/),
    );
    expect(view.code).toBe(1);
    expect(direct.code).toBe(1);
    // A key file with errors stops diagnose as it stops view, before the capture is read.
    const garbage = join(scratch, 'garbage_table');
    writeFileSync(garbage, 'not,a,key\n');
    const refused = await oaklog('diagnose', '--keys', garbage, capture);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toEqual([]);
    expect(refused.stderr.at(-1)).toBe(`oaklog: ${garbage}: the key file has errors (see above)`);
    // With the right keys nothing is said about decryption, and the exit code is 0.
    const right = await oaklog('diagnose', capture);
    expect(right.stdout.join('\n')).not.toMatch(/decrypt|without keys/);
    expect(right.code).toBe(0);
  });
});

describe('diagnose tells a capture from a log', () => {
  it('refuses a binary file that is no capture in one line on stderr, exit 2', async () => {
    const binary = join(scratch, 'binary.bin');
    writeFileSync(
      binary,
      Uint8Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256),
    );
    const { code, stdout, stderr } = await oaklog('diagnose', binary);
    expect(stdout).toEqual([]);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/binary data .*not a View Log/);
    expect(code).toBe(2);
  });

  it.each([
    ['pcap, microseconds, big-endian', [0xa1, 0xb2, 0xc3, 0xd4]],
    ['pcap, microseconds, little-endian', [0xd4, 0xc3, 0xb2, 0xa1]],
    ['pcap, nanoseconds, big-endian', [0xa1, 0xb2, 0x3c, 0x4d]],
    ['pcap, nanoseconds, little-endian', [0x4d, 0x3c, 0xb2, 0xa1]],
    ['pcapng', [0x0a, 0x0d, 0x0d, 0x0a]],
  ])('takes a file starting with the %s magic for a capture', async (name, magic) => {
    const path = join(scratch, `${name.replace(/\W+/g, '-')}.bin`);
    writeFileSync(path, Uint8Array.from([...magic, 0xff, 0xff]));
    const { code, stdout, stderr } = await oaklog('diagnose', path);
    // Read as a capture: its header is cut short, so the pcap reader refuses it as view does.
    expect(stderr).toEqual([expect.stringMatching(/^oaklog: not a readable pcap\/pcapng capture: /)]);
    expect(stdout).toEqual([]);
    expect(code).toBe(2);
  });

  it('reads the corpus pcapng captures as captures', async () => {
    const pcapng = listCaptures().find((c) => c.path.endsWith('.pcapng'));
    if (pcapng === undefined) return;
    const { stdout } = await oaklog('diagnose', corpusPath(pcapng.path));
    expect(stdout.join('\n')).toMatch(/ {2}frame \d+: /);
  });

  it('refuses capture options for a log, naming them', async () => {
    const log = logFile('short', ['Demo - Initiating IKE Phase 1 (IP ADDR=192.0.2.1)']);
    const { code, stderr } = await oaklog('diagnose', '--no-keys', '--peer', '192.0.2.1', log);
    expect(code).toBe(2);
    expect(stderr).toEqual([
      `oaklog: ${log} is not a pcap/pcapng capture, so it is read as a View Log, and --no-keys, --peer apply to captures only`,
    ]);
    expect((await oaklog('diagnose', log)).stdout[0]).toBe('Demo phase 1: incomplete');
  });

  it('says in --help that it takes a capture or a log, with the capture options', async () => {
    const { code, stdout } = await oaklog('diagnose', '--help');
    expect(code).toBe(0);
    const help = stdout.join('\n');
    expect(help).toContain('Usage: oaklog diagnose [options] <captures|logs...>');
    for (const option of [
      '--keys <file>',
      '--no-keys',
      '--local <address>',
      '--peer <address>',
      '--cookie <hex>',
      '--connection <name>',
    ])
      expect(help).toContain(option);
    expect(help).not.toContain('--crlf');
    const overview = (await oaklog('--help')).stdout.join('\n').replace(/\s+/g, ' ');
    expect(overview).toContain(
      'diagnose [options] <captures|logs...> say how each connection and phase of a capture or a View Log ended',
    );
  });
});

describe('the installed binary', () => {
  const main = join(import.meta.dirname, '../dist/main.js');
  const capture = join(corpusRoot, 'cases/strongswan-mm-psk-mismatch/capture.pcap');

  it('diagnoses a capture and a log read from a pipe as it does the files', async () => {
    const run = (input: string) =>
      spawnSync('sh', ['-c', `node "${main}" diagnose --no-keys /dev/stdin < "$1"`, 'sh', input], { encoding: 'utf8' });
    const piped = run(capture);
    // Phase 1 failed (a pre-shared key mismatch): exit 1, piped or not.
    expect(piped.status).toBe(1);
    expect(piped.stdout.split('\n').filter(Boolean)).toEqual(
      (await oaklog('diagnose', '--no-keys', capture)).stdout.flatMap((l) => l.split('\n')),
    );
    const log = logFile('piped', (await oaklog('view', '--no-keys', capture)).stdout);
    const pipedLog = spawnSync('sh', ['-c', `cat "$1" | node "${main}" diagnose /dev/stdin`, 'sh', log], {
      encoding: 'utf8',
    });
    expect(pipedLog.status).toBe(1);
    expect(pipedLog.stdout).toMatch(/^192\.0\.2\.2 phase 1: authentication-failed$/m);
    expect(pipedLog.stdout).toMatch(/^ {2}line \d+: /m);
  });

  it('exits 1 for a truncated capture and 2 for a missing file', () => {
    const cut = join(scratch, 'cut-binary.pcap');
    writeFileSync(cut, readFileSync(capture).subarray(0, 900));
    const truncated = spawnSync('node', [main, 'diagnose', cut], { encoding: 'utf8' });
    expect(truncated.status).toBe(1);
    expect(truncated.stdout).toMatch(/truncated file/);
    const missing = spawnSync('node', [main, 'diagnose', join(scratch, 'missing.pcap')], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^oaklog: ENOENT/);
  });
});
