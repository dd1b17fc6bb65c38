/**
 * The product's round trip, `oaklog view capture.pcap > x.log; oaklog diagnose x.log`: every corpus capture rendered by
 * the bridge (with the case's keys, and without), parsed and diagnosed by viewlog, must reach the manifest's outcome.
 */
import { readCorpusBytes } from '@oaklog/corpus';
import { type Diagnosis, diagnose, parse } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { createSession } from '../src/index';
import { captures, decryptedChains, ikeDatagrams } from './helpers';

/** The manifest's word for a whole diagnosis. */
export function overallOutcome(ds: readonly Diagnosis[]): string {
  if (ds.some((d) => d.outcome === 'peer-dead')) return 'dpd-peer-dead';
  if (ds.some((d) => d.stage === 'xauth' && d.outcome !== 'established')) return 'mode-config-failed';
  const p1 = ds.filter((d) => d.phase === 1);
  const p2 = ds.filter((d) => d.phase === 2);
  // `deleted`: established, then closed (by this side or the peer): the tunnel did come up.
  const up = (d: Diagnosis) => d.outcome === 'established' || d.outcome === 'deleted';
  if (p2.some(up)) return 'established';
  if (!p1.some(up)) {
    const last = p1.at(-1);
    switch (last?.outcome) {
      case 'proposal-rejected':
        return 'phase1-proposal-rejected';
      case 'authentication-failed':
        return 'psk-mismatch';
      case 'peer-not-responding':
        return 'peer-not-responding';
      default:
        return `phase 1 ${last?.outcome ?? 'missing'}`;
    }
  }
  if (p2.some((d) => d.outcome === 'proposal-rejected')) return 'phase2-proposal-rejected';
  // The manifest calls a capture that brings up the IKE SA only (no quick mode) established.
  if (p2.length === 0) return 'established';
  return `phase 2 ${p2.at(-1)?.outcome}`;
}

function view(name: string, keys: boolean, side: 'initiator' | 'responder'): string {
  const c = captures().find((x) => x.name === name);
  if (c === undefined) throw new Error(name);
  const datagrams = ikeDatagrams(readCorpusBytes(c.path));
  const chains = keys ? decryptedChains(c, datagrams) : datagrams.map(() => undefined);
  const first = datagrams[0];
  const session = createSession({ local: side === 'initiator' ? (first?.src ?? '') : (first?.dst ?? '') });
  const lines = datagrams.flatMap((d, i) => session.push(d, chains[i]));
  return `${[...lines, ...session.finish()].join('\n')}\n`;
}

/** What `diagnose` reaches for a capture's View Log. */
export function roundTrip(name: string, keys = true, side: 'initiator' | 'responder' = 'initiator'): string {
  return overallOutcome(diagnose(parse(view(name, keys, side)).events));
}

/** Captures with an outcome to reach (published ones may leave it `not-asserted`: IKEv2, one message, a fuzzed file). */
const cases = captures()
  .filter((c) => c.expect?.outcome !== 'not-asserted')
  .map((c) => ({ name: c.name, expected: c.expect?.outcome ?? '?', keys: c.keys !== undefined }));

/**
 * Captures whose manifest outcome the View Log cannot honestly reach. strongswan-to-libreswan: libreswan never answers
 * either quick mode (the capture has no QM reply at all; charon deletes the IKE SAs), so the manifest's "established"
 * describes the IKE SA; the diagnosis says phase 1 established, phase 2 unanswered.
 */
const DIVERGES: Readonly<Record<string, string>> = { 'strongswan-to-libreswan': 'phase 2 peer-not-responding' };

describe('with keys', () => {
  it.each(cases)('$name diagnoses as $expected', ({ name, expected }) => {
    expect(roundTrip(name, true)).toBe(DIVERGES[name] ?? expected);
  });

  it('strongswan-to-libreswan: phase 1 up twice, each quick mode resent without answer, counted once per resend', () => {
    const ds = diagnose(parse(view('strongswan-to-libreswan', true, 'initiator')).events);
    expect(ds.map((d) => [d.phase, d.outcome])).toEqual([
      [1, 'established'],
      [2, 'peer-not-responding'],
      [1, 'deleted'],
      [2, 'peer-not-responding'],
    ]);
    expect(ds[1]?.summary).toMatch(/after 3 retransmissions and the client gave up\.$/);
    expect(ds[2]?.closedBy).toBe('local');
  });
});

/**
 * Without keys (`--no-keys`) an encrypted message shows only the payload its header names (`INFO *(HASH)`): notifies,
 * deletes and attributes are unreadable. What the View Log still shows: an encrypted INFO in place of main mode's last
 * message or after aggressive mode's second (likely a pre-shared-key mismatch), an encrypted INFO answering our quick
 * mode (likely NO_PROPOSAL_CHOSEN). What it cannot show: a DPD R-U-THERE (strongswan-dpd-peer-dies reads as established)
 * and an error notify during mode config (strongswan-xauth-to-libreswan reads as established).
 */
const NO_KEYS_DIVERGES: Readonly<Record<string, string>> = {
  ...DIVERGES,
  'strongswan-dpd-peer-dies': 'established',
  'strongswan-xauth-to-libreswan': 'established',
};

describe('without keys', () => {
  it.each(cases)('$name diagnoses as $expected, or as far as the ciphertext shows', ({ name, expected }) => {
    expect(roundTrip(name, false)).toBe(NO_KEYS_DIVERGES[name] ?? expected);
  });

  it('strongswan-mm-psk-mismatch: an encrypted INFO after each resent MM5 is a likely key mismatch, not silence', () => {
    const ds = diagnose(parse(view('strongswan-mm-psk-mismatch', false, 'initiator')).events);
    expect(ds).toMatchObject([{ phase: 1, outcome: 'authentication-failed' }]);
    expect(ds[0]?.reason).toMatch(/most likely a pre-shared-key mismatch/);
  });
});

describe('the lines the session writes around the messages', () => {
  it('Received <NOTIFY> message only for error notifies (the documented case), not for DPD or status notifies', () => {
    const dpd = view('strongswan-dpd', true, 'initiator');
    expect(dpd).toMatch(/NOTIFY:DPD_R_U_THERE/);
    expect(dpd).not.toMatch(/Received DPD_R_U_THERE/);
    expect(view('strongswan-qm-no-proposal-chosen', true, 'initiator')).toMatch(
      /INFO \*\(HASH, NOTIFY:NO_PROPOSAL_CHOSEN\)\n[0-9:.]+ Received NO_PROPOSAL_CHOSEN message\n/,
    );
  });

  it('message ids padded to 8 hex digits, SPIs as they are', () => {
    const text = view('strongswan-dpd-peer-dies', true, 'initiator');
    expect(text).toMatch(/\(message id: 07685537\)/);
    expect(text).toMatch(/Loading IPsec SA \(Message ID = 07685537\) OUTBOUND SPI = 6D5E4D67 INBOUND SPI = 43451AD0\)/);
  });

  it('one Exceeded retry attempts line when a quick mode is given up, not one per quick mode at the end', () => {
    const lines = view('strongswan-to-libreswan', true, 'initiator').split('\n');
    const exceeded = lines.flatMap((l, i) =>
      l.endsWith('Exceeded retry attempts - deleting IPSec Security Association') ? [i] : [],
    );
    const restart = lines.findIndex(
      (l, i) => i > 0 && l.includes('Initiating IKE Phase 1') && lines.indexOf(l) === i && i > 2,
    );
    expect(exceeded).toHaveLength(2);
    expect(exceeded[0]).toBe(restart - 1);
    expect(exceeded[1]).toBe(lines.length - 2);
  });
});

it('strongswan-rekey: the new IKE SA is a rekey, and each delete ends the SA whose cookie it names', () => {
  const text = view('strongswan-rekey', true, 'initiator');
  expect(text).toMatch(/Deleting IKE SA \(IP ADDR=192\.0\.2\.2\) \(MY COOKIE f3 a 9e bd 9 1d f1 ec\)/);
  const ds = diagnose(parse(text).events);
  expect(ds.map((d) => [d.phase, d.outcome, d.closedBy])).toEqual([
    [1, 'deleted', 'local'],
    [2, 'deleted', 'local'],
    [1, 'deleted', 'local'],
  ]);
  expect(ds[2]?.summary).toMatch(/rekeyed \(new cookies\), then closed by this side/);
});

describe('error notifies by direction, from either side', () => {
  it('strongswan-qm-no-proposal-chosen from the responder: this side rejected the peer’s proposal', () => {
    const ds = diagnose(parse(view('strongswan-qm-no-proposal-chosen', true, 'responder')).events);
    const p2 = ds.find((d) => d.phase === 2);
    expect(p2).toMatchObject({ outcome: 'proposal-rejected', notify: 'NO_PROPOSAL_CHOSEN', local: true });
    expect(p2?.summary).toMatch(/this side accepted none of the peer’s proposals/);
  });

  it('strongswan-xauth-to-libreswan: the PAYLOAD_MALFORMED we send during mode config is a mode-config failure', () => {
    const ds = diagnose(parse(view('strongswan-xauth-to-libreswan', true, 'initiator')).events);
    expect(ds.some((d) => d.phase === 2)).toBe(false);
    expect(ds.find((d) => d.stage === 'xauth')).toMatchObject({
      outcome: 'failed',
      notify: 'PAYLOAD_MALFORMED',
      local: true,
    });
  });
});
