/** Diagnoses the capture → View Log → diagnose round trip got wrong (end-to-end review); each failed before its fix. */
import { describe, expect, it } from 'vitest';
import { diagnose, format, parse, parseStream } from '../src/index';

const run = (...lines: string[]) => diagnose(parse(`${lines.join('\n')}\n`).events);
/** `lines`, `n` times over (a peer's or our resends). */
const repeated = (n: number, lines: readonly string[]) => Array.from({ length: n }, () => lines).flat();

const MM = [
  'A - SENDING>>>> ISAKMP OAK MM (SA)',
  'A - RECEIVED<<<< ISAKMP OAK MM (SA)',
  'A - SENDING>>>> ISAKMP OAK MM (KE, NON)',
  'A - RECEIVED<<<< ISAKMP OAK MM (KE, NON)',
  'A - SENDING>>>> ISAKMP OAK MM *(ID, HASH)',
  'A - RECEIVED<<<< ISAKMP OAK MM *(ID, HASH)',
  'A - Established IKE SA',
];
const QM = [
  'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
  'A - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
  'A - SENDING>>>> ISAKMP OAK QM *(HASH)',
  'A - Loading IPsec SA (Message ID = 61965C8D) OUTBOUND SPI = 405 INBOUND SPI = 493B30CC)',
];

describe('error notifies are attributed by direction and exchange', () => {
  it('a NO_PROPOSAL_CHOSEN we send (responder): this side rejected the peer’s proposal', () => {
    const [, p2] = run(
      ...MM,
      'A - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
      'A - SENDING>>>> ISAKMP OAK INFO *(HASH, NOTIFY:NO_PROPOSAL_CHOSEN)',
    );
    expect(p2).toMatchObject({ phase: 2, outcome: 'proposal-rejected', local: true });
    expect(p2?.summary).toMatch(/this side accepted none/);
    expect(p2?.nextStep).not.toMatch(/peer’s IPsec proposal configuration/);
  });

  it('an error notify we send during a transaction exchange: XAUTH / mode config failed, not phase 2', () => {
    const ds = run(
      ...MM,
      'A - RECEIVED<<<< ISAKMP OAK TRANS *(HASH, ATTR)',
      'A - SENDING>>>> ISAKMP OAK TRANS *(HASH, ATTR)',
      'A - SENDING>>>> ISAKMP OAK INFO *(HASH, NOTIFY:PAYLOAD_MALFORMED)',
      'A - message not received! Retransmitting!',
      'A - SENDING>>>> ISAKMP OAK TRANS *(Retransmission)',
    );
    expect(ds.map((d) => [d.phase, d.outcome, d.stage, d.local])).toEqual([
      [1, 'established', undefined, undefined],
      [1, 'failed', 'xauth', true],
    ]);
    expect(ds[1]?.summary).toMatch(/this side sent PAYLOAD_MALFORMED/);
  });
});

describe('retransmissions', () => {
  it('the Retransmitting line and its (Retransmission) message count once', () => {
    const ds = run(
      ...MM,
      'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
      ...repeated(3, ['A - message not received! Retransmitting!', 'A - SENDING>>>> ISAKMP OAK QM *(Retransmission)']),
    );
    expect(ds[1]?.summary).toMatch(/after 3 retransmissions/);
  });

  it('a peer that answered our proposal and resent its answer did respond', () => {
    const ds = run(
      ...MM,
      'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
      'A - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
      'A - message not received! Retransmitting!',
      'A - SENDING>>>> ISAKMP OAK QM *(Retransmission)',
      'A - RECEIVED<<<< ISAKMP OAK QM *(Retransmission)',
      'Exceeded retry attempts - deleting IPSec Security Association',
    );
    expect(ds[1]?.outcome).not.toBe('peer-not-responding');
    expect(ds[1]?.summary).toMatch(/peer accepted the proposal/);
  });
});

describe('a quick mode read without keys (every message shows only its first payload, HASH)', () => {
  const opaque = [
    'A - SENDING>>>> ISAKMP OAK QM *(HASH)',
    'A - RECEIVED<<<< ISAKMP OAK QM *(HASH)',
    'A - SENDING>>>> ISAKMP OAK QM *(HASH)',
  ];

  it('the peer’s answer (QM2) does not complete it; this side’s last message (QM3) does', () => {
    const answered = run(...MM, ...opaque.slice(0, 2))[1];
    expect(answered?.outcome).not.toBe('established');
    const done = run(...MM, ...opaque)[1];
    expect(done).toMatchObject({ phase: 2, outcome: 'established' });
    expect(done?.note).toBeUndefined();
    expect(done?.evidence.at(-1)?.line).toBe(MM.length + 3);
  });

  it('the peer’s answer resent while this side never sends its last message: the peer did answer', () => {
    // libreswan-ag-psk-to-strongswan read without keys: pluto kept resending QM1, charon its QM2.
    const ds = run(
      ...MM,
      ...opaque.slice(0, 2),
      ...repeated(2, [
        'A - message not received! Retransmitting!',
        'A - SENDING>>>> ISAKMP OAK QM *(Retransmission)',
        'A - RECEIVED<<<< ISAKMP OAK QM *(Retransmission)',
      ]),
      'Exceeded retry attempts - deleting IPSec Security Association',
    );
    expect(ds[1]?.outcome).not.toBe('peer-not-responding');
    expect(ds[1]?.summary).toMatch(/peer accepted the proposal/);
  });

  it('seen from the responder, the initiator’s last message completes it', () => {
    const ds = run(
      ...MM,
      'A - RECEIVED<<<< ISAKMP OAK QM *(HASH)',
      'A - SENDING>>>> ISAKMP OAK QM *(HASH)',
      'A - RECEIVED<<<< ISAKMP OAK QM *(HASH)',
    );
    expect(ds[1]).toMatchObject({ phase: 2, outcome: 'established' });
  });

  it('a peer that resends its answer after our last message never got it: established, in doubt', () => {
    // tcpdump's isakmp4500.pcap: the responder resent QM2 three times after the initiator's QM3.
    const ds = run(
      ...MM,
      ...opaque,
      ...repeated(3, [
        'A - RECEIVED<<<< ISAKMP OAK QM *(Retransmission)',
        'A - message not received! Retransmitting!',
        'A - SENDING>>>> ISAKMP OAK QM *(Retransmission)',
      ]),
    );
    expect(ds[1]).toMatchObject({ phase: 2, outcome: 'established' });
    expect(ds[1]?.note).toMatch(/may not have the SA/);
    expect(ds[1]?.summary).toMatch(/resent its earlier message 3 times/);
    expect(ds[1]?.nextStep).toMatch(/did not reach the peer/);
  });

  it('with a Loading IPsec SA line the client confirmed it: a resent answer casts no doubt', () => {
    const ds = run(...MM, ...QM, 'A - RECEIVED<<<< ISAKMP OAK QM *(Retransmission)');
    expect(ds[1]).toMatchObject({ phase: 2, outcome: 'established' });
    expect(ds[1]?.note).toBeUndefined();
  });
});

describe('after the tunnel came up', () => {
  it('our last R-U-THEREs unanswered: peer-dead; DPD notifies are no phase-2 evidence', () => {
    const ds = run(
      ...MM,
      ...QM,
      'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH, NOTIFY:DPD_R_U_THERE)',
      'A - SENDING>>>> ISAKMP OAK INFO *(HASH, NOTIFY:DPD_R_U_THERE_ACK)',
      'A - SENDING>>>> ISAKMP OAK INFO *(HASH, NOTIFY:DPD_R_U_THERE)',
      'A - SENDING>>>> ISAKMP OAK INFO *(HASH, NOTIFY:DPD_R_U_THERE)',
    );
    expect(ds[1]).toMatchObject({ phase: 2, outcome: 'peer-dead' });
    expect(ds[1]?.evidence.map((e) => e.line)).toEqual([10, 11, 14, 15]);
  });

  it('answered R-U-THEREs keep the tunnel established', () => {
    const ds = run(
      ...MM,
      ...QM,
      'A - SENDING>>>> ISAKMP OAK INFO *(HASH, NOTIFY:DPD_R_U_THERE)',
      'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH, NOTIFY:DPD_R_U_THERE_ACK)',
      'A - SENDING>>>> ISAKMP OAK INFO *(HASH, NOTIFY:DPD_R_U_THERE)',
      'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH, NOTIFY:DPD_R_U_THERE_ACK)',
    );
    expect(ds[1]).toMatchObject({ outcome: 'established', evidence: [{ line: 10 }, { line: 11 }] });
  });

  it('a delete we send: established, then closed by this side (no “check the peer’s log”)', () => {
    const ds = run(
      ...MM,
      ...QM,
      'A - SENDING>>>> ISAKMP OAK INFO *(HASH, DEL)',
      'A - Deleting IPsec SA (ESP INBOUND SPI = 493B30CC)',
    );
    expect(ds[1]).toMatchObject({ outcome: 'deleted', closedBy: 'local' });
    expect(ds[1]?.summary).toMatch(/closed by this side/);
    expect(ds[1]?.nextStep).not.toMatch(/peer’s log/);
  });

  it('a delete the peer sends: closed by the peer', () => {
    const ds = run(...MM, ...QM, 'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH, DEL)');
    expect(ds[1]).toMatchObject({ outcome: 'deleted', closedBy: 'peer' });
  });
});

it('a log cut inside the closing quick-mode message: probably established, incomplete with a note', () => {
  const ds = run(
    ...MM,
    'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
    'A - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
    'A - RECEIVED<<<< ISAKMP OAK QM *(HASH, NOTIFY:NOTIFY_CONN',
  );
  expect(ds[1]).toMatchObject({ phase: 2, outcome: 'incomplete', note: 'probably established; the log is cut' });
});

describe('logs rendered without keys (encrypted messages show only their first payload)', () => {
  it('an encrypted INFO in place of MM6, after each resend: likely key mismatch, not peer-not-responding', () => {
    const ds = run(
      ...MM.slice(0, 4),
      'A - SENDING>>>> ISAKMP OAK MM *(ID)',
      'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH)',
      'A - message not received! Retransmitting!',
      'A - SENDING>>>> ISAKMP OAK MM *(Retransmission)',
      'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH)',
      'A - Exceeded 3 IKE SA negotiation attempts',
    );
    expect(ds).toMatchObject([{ phase: 1, outcome: 'authentication-failed' }]);
    expect(ds[0]?.evidence[0]?.line).toBe(6);
  });

  it('an encrypted INFO we send after aggressive mode’s second message: this side rejected the peer', () => {
    const ds = run(
      'A - SENDING>>>> ISAKMP OAK AG (SA, KE, NON, ID, VID)',
      'A - RECEIVED<<<< ISAKMP OAK AG (SA, KE, NON, ID, HASH)',
      'A - SENDING>>>> ISAKMP OAK INFO *(HASH)',
      'A - RECEIVED<<<< ISAKMP OAK AG (Retransmission)',
    );
    expect(ds).toMatchObject([{ phase: 1, outcome: 'authentication-failed', local: true }]);
  });

  it('an encrypted INFO answering our quick mode: likely NO_PROPOSAL_CHOSEN', () => {
    const ds = run(...MM, 'A - SENDING>>>> ISAKMP OAK QM *(HASH)', 'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH)');
    expect(ds[1]).toMatchObject({ phase: 2, outcome: 'proposal-rejected' });
    expect(ds[1]?.summary).toMatch(/most likely NO_PROPOSAL_CHOSEN/);
  });

  it('a peer’s encrypted INFO after our resent quick mode (a delete) is no rejection', () => {
    const ds = run(
      ...MM,
      'A - SENDING>>>> ISAKMP OAK QM *(HASH)',
      'A - message not received! Retransmitting!',
      'A - SENDING>>>> ISAKMP OAK QM *(Retransmission)',
      'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH)',
    );
    expect(ds[1]?.outcome).not.toBe('proposal-rejected');
  });
});

describe('CR CR LF line endings (a CRLF file converted to CRLF again)', () => {
  const text = [
    'A - Established IKE SA',
    '   MY COOKIE 1f f5 e4 d 84 30 f9 5c',
    '   HIS COOKIE 4c af 1f 2c 20 16 d0 ec',
    'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
    '',
  ].join('\r\r\n');

  it('is one line ending: line numbers stay, cookie lines stay with their event, printing stays byte-exact', () => {
    const { events, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(events.map((e) => [e.kind, e.source?.line])).toEqual([
      ['ike-sa-established', 1],
      ['ike-message', 4],
    ]);
    expect(events[0]).toMatchObject({
      eol: '\r\r\n',
      myCookie: new Uint8Array([0x1f, 0xf5, 0xe4, 0x0d, 0x84, 0x30, 0xf9, 0x5c]),
    });
    expect(format(events)).toBe(text);
  });

  it('streams the same, however the text is cut', async () => {
    for (const cut of [1, 2, 3, 7, 23, 24, 25]) {
      const chunks = [];
      for (let i = 0; i < text.length; i += cut) chunks.push(text.slice(i, i + cut));
      const out = [];
      for await (const { event } of parseStream(chunks)) out.push(event);
      expect(out).toEqual(parse(text).events);
    }
  });
});

it('a log cut inside the commit notify after our closing hash, no Loading line: probably established', () => {
  const ds = run(
    ...MM,
    'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
    'A - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
    'A - SENDING>>>> ISAKMP OAK QM *(HASH)',
    'A - RECEIVED<<<< ISAKMP OAK QM *(HASH, NOTIFY:NOTIFY_CONN',
  );
  expect(ds[1]).toMatchObject({ phase: 2, outcome: 'incomplete', note: 'probably established; the log is cut' });
  expect(ds[1]?.summary).toMatch(/probably established/);
});

it('a rekey: the delete naming the old IKE SA’s cookie ends the old one, not the new one', () => {
  const ds = run(
    ...MM,
    '   MY COOKIE 1f f5 e4 d 84 30 f9 5c',
    '   HIS COOKIE 4c af 1f 2c 20 16 d0 ec',
    ...MM,
    '   MY COOKIE 2f f5 e4 d 84 30 f9 5c',
    '   HIS COOKIE 5c af 1f 2c 20 16 d0 ec',
    'A - SENDING>>>> ISAKMP OAK INFO *(HASH, DEL)',
    'A - Deleting IKE SA (IP ADDR=192.0.2.2) (MY COOKIE 1f f5 e4 d 84 30 f9 5c)',
  );
  expect(ds.map((d) => [d.outcome, d.closedBy])).toEqual([
    ['deleted', 'local'],
    ['established', undefined],
  ]);
  expect(ds[1]?.summary).toMatch(/a rekey/);
});
