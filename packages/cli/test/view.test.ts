import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusPath, corpusRoot, getCapture, listCaptures, readCorpusText } from '@oaklog/corpus';
import { parseKeysJson } from '@oaklog/crypto';
import { build, encode, type Payload } from '@oaklog/isakmp';
import { readCaptureBytes, type TimedDatagram, writeUdpCapture } from '@oaklog/pcap';
import { viewLog } from '@oaklog/pipeline';
import { describe, expect, it } from 'vitest';
import { forgottenWarning } from '../src/commands/capture';
import { KEY_FILE_CAPS } from '../src/key-file';
import { oaklog } from './run-cli';
import { cookie, mainMode, writeMessages } from './scenario';

const scratch = mkdtempSync(join(tmpdir(), 'oaklog-view-'));
const A = '192.0.2.1';
const B = '192.0.2.2';
const IC = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const ZERO = new Uint8Array(8);

function udp(payload: Uint8Array, i: number, port = 500): TimedDatagram {
  return { src: A, dst: B, srcPort: port, dstPort: port, payload, time: { seconds: 1000 + i, nanoseconds: 0 } };
}

function mm1(payloads: Payload[]): Uint8Array {
  return encode(build.message({ initiatorCookie: IC, responderCookie: ZERO, exchangeType: 2, payloads }));
}

function captureFile(name: string, datagrams: TimedDatagram[]): string {
  const path = join(scratch, name);
  writeFileSync(path, writeUdpCapture(datagrams));
  return path;
}

describe('oaklog view: problem lines', () => {
  // A DNS datagram first, so frame numbers and IKE datagram ordinals differ.
  const good = mm1([build.sa({ proposals: [] })]);
  const bad = good.slice();
  bad[27] = 0; // the header's length drops to 0 below the SA payload: the payload runs past it
  const vendorIdZero = (() => {
    const m = mm1([build.vendorId(Uint8Array.of(1, 2, 3, 4))]);
    m[30] = 0;
    m[31] = 0; // vendor ID payload length 0
    return m;
  })();
  const path = captureFile('problems.pcap', [
    udp(Uint8Array.of(0, 1, 2, 3), 0, 53),
    udp(good, 1),
    udp(vendorIdZero, 2),
    udp(bad, 3),
  ]);

  it('keep the line of a message that decodes in part, and name its frame, offset and code once on stderr', async () => {
    const view = await oaklog('view', '--no-keys', path);
    const decode = await oaklog('decode', path);
    // Frame 3: the first payload's length is 0: it keeps its line, with what decoded before the fault (nothing) and
    // the mark. Frame 4: the header's length is 0, below the header's own 28 bytes: it frames no ISAKMP message
    // (tshark calls it UDP data), so it gets no line, only the problem, in both commands.
    expect(view.stdout.filter((l) => /SENDING>>>> ISAKMP OAK MM \(UNREADABLE\)$/.test(l))).toHaveLength(1);
    const problems = view.stderr.filter((line) => line.includes('partly unreadable'));
    expect(problems).toHaveLength(1);
    const frame4 = '#4 192.0.2.1:500 -> 192.0.2.2:500 undecodable: BAD_LENGTH at byte 24: header length 0 < 28';
    expect(view.stderr).toContain(frame4);
    expect(decode.stdout).toContain(frame4);
    expect(problems[0]).toMatch(
      /^#3 192\.0\.2\.1:500 -> 192\.0\.2\.2:500 partly unreadable: BAD_LENGTH at byte 28: [^:]+$/,
    );
    for (const line of problems) {
      // decode's line for the same frame: the payloads that decoded, the mark, then the same fault, worded the same.
      const [where, fault] = line.split(' partly unreadable: ') as [string, string];
      const decoded = decode.stdout.find((l) => l.startsWith(`${where} `));
      expect(decoded).toMatch(/UNREADABLE; partly unreadable: /);
      expect(decoded?.endsWith(`partly unreadable: ${fault}`)).toBe(true);
      const code = /: ([A-Z_]+) at byte/.exec(line)?.[1] ?? '';
      expect(line.split(code)).toHaveLength(2);
      expect(decoded?.split(code)).toHaveLength(2);
    }
    // The two commands agree: a datagram that did not decode whole fails both.
    expect(view.code).toBe(1);
    expect(decode.code).toBe(1);
  });

  it('say when the offset is within a message reassembled from IKE fragments, at the frame that completed it', async () => {
    // The reassembled message is a header alone that claims more bytes than the fragments hold.
    const whole = mm1([build.sa({ proposals: [] })]).slice(0, 28);
    const parts = build.fragments(whole, 16, { initiatorCookie: IC, exchangeType: 2, fragmentId: 1 });
    const frag = captureFile(
      'fragments.pcap',
      parts.map((m, i) => udp(encode(m), i)),
    );
    const { code, stderr, stdout } = await oaklog('view', '--no-keys', frag);
    expect(code).toBe(1);
    expect(stdout).toContainEqual(expect.stringMatching(/SENDING>>>> ISAKMP OAK MM \(UNREADABLE\)$/));
    expect(stderr).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^#${parts.length} \\S+ -> \\S+ partly unreadable: IKE fragments completed by this frame: TRUNCATED at byte \\d+ of the reassembled message: `,
        ),
      ),
    );
  });

  it('prints three messages sent as fragments under one reused fragment ID as three, not as retransmissions', async () => {
    const tail = build.vendorId(new Uint8Array(64).fill(0x77));
    const datagrams = [1, 2, 3].flatMap((n) =>
      build
        .fragments(mm1([build.sa({ proposals: [] }), build.vendorId(Uint8Array.of(n, n, n, n)), tail]), 48, {
          initiatorCookie: IC,
          exchangeType: 2,
          fragmentId: 1,
        })
        .map((m) => encode(m)),
    );
    const { code, stdout } = await oaklog(
      'view',
      '--no-keys',
      captureFile(
        'reused-id.pcap',
        datagrams.map((d, i) => udp(d, i)),
      ),
    );
    expect(code).toBe(0);
    expect(stdout.filter((line) => line.includes('SENDING>>>> ISAKMP OAK MM (SA, VID, VID)'))).toHaveLength(3);
    expect(stdout.join('\n')).not.toMatch(/Retransmission|Exceeded/);
  });
});

describe('oaklog view: key files', () => {
  const caseDir = join(corpusRoot, 'cases/strongswan-mm-psk-3des-sha1-modp1024');
  const capture = join(caseDir, 'capture.pcap');
  const table = readFileSync(join(caseDir, 'ikev1_decryption_table'), 'utf8');

  it('reads a key table saved as UTF-16 with a byte-order mark, as logs are read', async () => {
    const utf16 = join(scratch, 'utf16_table');
    const units = new Uint16Array([0xfeff, ...Array.from(table, (c) => c.charCodeAt(0))]);
    writeFileSync(utf16, new Uint8Array(units.buffer));
    const expected = await oaklog('view', '--keys', join(caseDir, 'ikev1_decryption_table'), capture);
    const got = await oaklog('view', '--keys', utf16, capture);
    expect(got.code).toBe(0);
    expect(got.stdout).toEqual(expected.stdout);
    expect(got.stdout.join('\n')).toMatch(/MM \*\(ID, HASH/);
  });

  it('refuses a file over the size cap with one line, exit 2, without reading it', async () => {
    const big = join(scratch, 'big_table');
    writeFileSync(big, '');
    truncateSync(big, KEY_FILE_CAPS.maxBytes + 1);
    const { code, stderr } = await oaklog('view', '--keys', big, capture);
    expect(code).toBe(2);
    expect(stderr).toEqual([expect.stringMatching(/big_table: larger than \d+ bytes, too large for a key file/)]);
  });

  it('says a binary file is not a key file in one line, exit 2', async () => {
    const binary = join(scratch, 'binary_table');
    writeFileSync(
      binary,
      Uint8Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256),
    );
    const { code, stderr } = await oaklog('view', '--keys', binary, capture);
    expect(code).toBe(2);
    expect(stderr).toEqual([
      expect.stringMatching(/binary_table: not a key file \(binary data: a NUL byte at byte \d+/),
    ]);
  });

  it('prints the first diagnostics and counts the rest', async () => {
    const many = join(scratch, 'many_table');
    writeFileSync(many, Array.from({ length: 25 }, (_, i) => `zz${i},1234\n`).join(''));
    const { code, stderr } = await oaklog('view', '--keys', many, capture);
    expect(code).toBe(2);
    const listed = KEY_FILE_CAPS.maxErrors;
    expect(stderr.filter((line) => / error BAD_HEX: /.test(line))).toHaveLength(listed);
    expect(stderr).toContainEqual(
      expect.stringMatching(new RegExp(`^${many}:${listed + 1}:1 error TOO_MANY_ERRORS: ${25 - listed} more errors`)),
    );
    expect(stderr).toHaveLength(listed + 2);
  });

  it('reads a key table saved as UTF-16LE without a byte-order mark', async () => {
    const bare = join(scratch, 'utf16le_table');
    writeFileSync(bare, new Uint8Array(new Uint16Array(Array.from(table, (c) => c.charCodeAt(0))).buffer));
    const got = await oaklog('view', '--keys', bare, capture);
    expect(got.code).toBe(0);
    expect(got.stdout).toEqual(
      (await oaklog('view', '--keys', join(caseDir, 'ikev1_decryption_table'), capture)).stdout,
    );
  });
});

describe('oaklog view is a thin call of @oaklog/pipeline', () => {
  // The library pass a web page or a library user runs, on the bytes the CLI reads from the file.
  it.each(listCaptures().map((c) => c.name))('%s: the library prints the lines the CLI prints', async (name) => {
    const c = getCapture(name);
    const path = corpusPath(c.path);
    const keys = c.keys === undefined ? [] : parseKeysJson(readCorpusText(c.keys)).ikeSas;
    const cli = await oaklog('view', ...(c.keys === undefined ? ['--no-keys'] : ['--keys', corpusPath(c.keys)]), path);
    const library = viewLog(readCaptureBytes(new Uint8Array(readFileSync(path))), { keys });
    expect(cli.stdout.map((line) => `${line}\n`).join('')).toBe(library);
    // Not empty when tshark saw an IKEv1 message (IKEv2 stays out of the View Log; published captures hold IKEv2).
    if ((c.expect?.messages ?? []).some((m) => m.version === undefined)) expect(library).not.toBe('');
  });
});

describe('oaklog view and decode: a capture mixing IKEv1 and IKEv2', () => {
  /** An IKEv2 header (version 2.0) with one payload: IKE_SA_INIT with an SA, or IKE_AUTH with an SK (first: IDi). */
  function ikev2(exchange: 34 | 35): Uint8Array {
    const body =
      exchange === 34 ? Uint8Array.of(0, 0, 0, 8, 0, 0, 0, 0) : Uint8Array.of(0, 0, 0, 20, ...new Uint8Array(16));
    const b = new Uint8Array(28 + body.length);
    b.set(Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), 0);
    b[16] = exchange === 34 ? 33 : 46; // SA, or SK
    b[17] = 0x20;
    b[18] = exchange;
    b[19] = 0x08; // initiator, request
    if (exchange === 35) {
      b.set(Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1), 8);
      b[28] = 0; // SK's next payload: none after it
      b[23] = 1;
    }
    b.set(body, 28);
    if (exchange === 35) b[28] = 35; // SK: first inner payload IDi
    b[27] = b.length;
    return b;
  }
  const path = captureFile('mixed.pcap', [
    udp(ikev2(34), 0),
    udp(mm1([build.sa({ proposals: [] })]), 1),
    udp(ikev2(35), 2),
  ]);

  it('view leaves IKEv2 out of the View Log and names its frames on stderr; never an EXCHANGE_34 line', async () => {
    const { code, stdout, stderr } = await oaklog('view', '--no-keys', path);
    expect(stdout.filter((l) => l.includes('ISAKMP OAK'))).toEqual([
      expect.stringMatching(/SENDING>>>> ISAKMP OAK MM \(SA\)$/),
    ]);
    expect(stdout.join('\n')).not.toMatch(/EXCHANGE_\d+|PAYLOAD_\d+/);
    expect(stderr).toContain(
      'oaklog: 2 IKEv2 datagrams left out of the View Log (the clients never logged IKEv2): frames 1, 3',
    );
    expect(code).toBe(0);
  });

  it('decode labels them IKEv2, with RFC 7296 names, the SK payload included', async () => {
    const { code, stdout } = await oaklog('decode', path);
    expect(stdout[0]).toMatch(
      /^#1 \S+ -> \S+ IKEv2 IKE_SA_INIT 0909090909090909\/0000000000000000 msgid 00000000 \(initiator, request\): SA$/,
    );
    expect(stdout[2]).toMatch(
      /^#3 \S+ -> \S+ IKEv2 IKE_AUTH \S+ msgid 00000001 \(initiator, request\): SK\(encrypted, first payload IDi, 16 bytes\)$/,
    );
    expect(code).toBe(0);
  });
});

describe('oaklog view: conversations', () => {
  const C = Uint8Array.of(9, 8, 7, 6, 5, 4, 3, 2);
  const first = encode(build.message({ initiatorCookie: C, exchangeType: 2, payloads: [build.sa({ proposals: [] })] }));
  const cut = captureFile('cut.pcap', [udp(first, 0), udp(first, 1)]);

  it('ends a capture cut mid-exchange where it ends, and says so on stderr', async () => {
    const { code, stdout, stderr } = await oaklog('view', '--no-keys', cut);
    expect(stdout.at(-1)).toMatch(/SENDING>>>> ISAKMP OAK MM \(Retransmission\)$/);
    expect(stdout.join('\n')).not.toMatch(/Exceeded/);
    expect(stderr).toContainEqual(
      expect.stringMatching(/^oaklog: the capture ends while 1 negotiation was still being retried/),
    );
    expect(code).toBe(0);
  });

  it('--cookie picks a conversation by cookie, --peer by address; a cookie that is not hex is a usage error', async () => {
    expect((await oaklog('view', '--no-keys', '--cookie', '09:08:07:06:05:04:03:02', cut)).stdout).toHaveLength(4);
    const none = await oaklog('view', '--no-keys', '--cookie', '0102030405060708', cut);
    expect(none.stdout).toEqual([]);
    expect(none.stderr).toContain('oaklog: no IKE datagram of this capture matches --peer/--cookie');
    expect((await oaklog('view', '--no-keys', '--peer', '203.0.113.9', cut)).stdout).toEqual([]);
    expect((await oaklog('view', '--no-keys', '--cookie', 'xyz', cut)).code).toBe(2);
  });
});

describe('oaklog view --tz: each line at the offset of its own time', () => {
  // Europe/Berlin left +01:00 for +02:00 at 2026-03-29 01:00:00 UTC. The main mode ends just before; its
  // `Established IKE SA` line waits for the conversation's next message, which comes after the change, and must
  // still print at the offset of the main mode's last message, not of the message that released it.
  const change = Date.UTC(2026, 2, 29, 1, 0, 0) / 1000;
  const t = (secondsFromChange: number) => change - 1_000_000 + secondsFromChange;
  const [ic, rc] = [cookie(1), cookie(2)];
  const capture = writeMessages(mkdtempSync(join(tmpdir(), 'oaklog-tz-')), 'dst.pcap', [
    ...mainMode('192.0.2.1', '192.0.2.2', ic, rc, t(-1)),
    {
      from: '192.0.2.1',
      to: '192.0.2.2',
      t: t(5),
      ic,
      rc,
      exchange: 32,
      messageId: 0x1234,
      encrypted: true,
      payloads: [build.hash(new Uint8Array(20))],
    },
  ]);

  it('prints the lines before the change at +01:00 and those after at +02:00', async () => {
    const { stdout } = await oaklog('view', '--no-keys', '--tz', 'Europe/Berlin', capture);
    const timeOf = (pattern: RegExp) => stdout.find((l) => pattern.test(l))?.slice(0, 12);
    expect(timeOf(/ISAKMP OAK MM \(SA\)/)).toBe('01:59:59.000');
    const mm6 = timeOf(/RECEIVED<<<< ISAKMP OAK MM \*/);
    expect(mm6).toMatch(/^01:59:59\.0[45]\d$/);
    expect(timeOf(/Established IKE SA/)).toBe(mm6);
    expect(timeOf(/ISAKMP OAK QM/)).toBe('03:00:05.000');
    // A fixed offset moves every line alike.
    const fixed = (await oaklog('view', '--no-keys', '--utc-offset', '+01:00', capture)).stdout;
    expect(fixed.find((l) => /ISAKMP OAK QM/.test(l))?.slice(0, 12)).toBe('02:00:05.000');
    expect(fixed.find((l) => /Established IKE SA/.test(l))?.slice(0, 12)).toBe(mm6);
  });
});

describe('the warning for IKE SAs the decryptor forgot', () => {
  const seen = (forgottenSas: number) => ({ forgottenSas }) as Parameters<typeof forgottenWarning>[0];

  it('is silent when none was forgotten, and counts them when some were', () => {
    expect(forgottenWarning(seen(0))).toBeUndefined();
    expect(forgottenWarning(seen(1))).toMatch(
      /^oaklog: 1 IKE SA with keys was forgotten .*\(10,000 are remembered.* of it may not decrypt$/,
    );
    expect(forgottenWarning(seen(3))).toMatch(/^oaklog: 3 IKE SAs with keys were forgotten .* of one may not decrypt$/);
  });
});
