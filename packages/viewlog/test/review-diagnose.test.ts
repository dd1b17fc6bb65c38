/** Diagnoses a review found wrong: each failed before its fix. */
import { describe, expect, it } from 'vitest';
import { diagnose, parse } from '../src/index';

const run = (...lines: string[]) => {
  const text = `${lines.join('\n')}\n`;
  return diagnose(parse(text).events).map((d) => ({
    phase: d.phase,
    outcome: d.outcome,
    ...(d.notify !== undefined ? { notify: d.notify } : {}),
    ...(d.local ? { local: true } : {}),
    ...(d.stage !== undefined ? { stage: d.stage } : {}),
    lines: d.evidence.map((e) => e.line),
  }));
};

const HEAD = (c: string) => [
  `${c}1      10:46:25.859  03/15/10  Sev=Info/4\tIKE/0x63000013`,
  'SENDING >>> ISAKMP OAK AG (SA, KE, NON, ID, VID(Xauth), VID(dpd), VID(Frag), VID(Nat-T), VID(Unity)) to 1.2.3.4',
  '2      10:46:26.000  03/15/10  Sev=Info/4\tIKE/0x63000014',
  'RECEIVING <<< ISAKMP OAK AG (SA, VID(Unity), VID(dpd), KE, ID, NON, HASH, NAT-D, NAT-D) from 1.2.3.4',
];

describe('error notifies we send', () => {
  it('an AUTHENTICATION-FAILED sent after aggressive mode: we rejected the peer', () => {
    expect(
      run(
        'HQ - SENDING>>>> ISAKMP OAK AG (SA, KE, NON, ID, VID, VID)',
        'HQ - RECEIVED<<<< ISAKMP OAK AG (SA, KE, NON, ID, HASH)',
        'HQ - SENDING>>>> ISAKMP OAK INFO (NOTIFY:AUTHENTICATION-FAILED)',
      ),
    ).toEqual([
      { phase: 1, outcome: 'authentication-failed', notify: 'AUTHENTICATION_FAILED', local: true, lines: [3] },
    ]);
  });

  it('an INVALID_HASH_INFORMATION sent after main mode', () => {
    expect(
      run(
        'HQ - SENDING>>>> ISAKMP OAK MM *(ID, HASH, NOTIFY:STATUS_INITIAL_CONTACT)',
        'HQ - RECEIVED<<<< ISAKMP OAK MM *(ID, HASH)',
        'HQ - SENDING>>>> ISAKMP OAK INFO *(HASH, NOTIFY:INVALID_HASH_INFORMATION)',
      )[0],
    ).toMatchObject({ phase: 1, outcome: 'authentication-failed', notify: 'INVALID_HASH_INFORMATION', local: true });
  });

  it('Cisco: SENDING >>> INFO *(HASH, NOTIFY:AUTHENTICATION_FAILED) to …', () => {
    const d = run(
      ...HEAD(''),
      '3      10:46:26.001  03/15/10  Sev=Info/4\tIKE/0x63000013',
      'SENDING >>> ISAKMP OAK INFO *(HASH, NOTIFY:AUTHENTICATION_FAILED) to 1.2.3.4',
    );
    expect(d).toEqual([
      { phase: 1, outcome: 'authentication-failed', notify: 'AUTHENTICATION_FAILED', local: true, lines: [6] },
    ]);
  });
});

describe('errors after an established phase', () => {
  it('an INVALID_ID_INFORMATION after the IKE SA is up concerns phase 2', () => {
    expect(
      run(
        'A - Established IKE SA',
        '   MY COOKIE 1 2 3 4 5 6 7 8',
        '   HIS COOKIE 1 2 3 4 5 6 7 8',
        'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH, NOTIFY:INVALID_ID_INFORMATION)',
      ),
    ).toEqual([
      { phase: 1, outcome: 'established', lines: [1] },
      { phase: 2, outcome: 'id-rejected', notify: 'INVALID_ID_INFORMATION', lines: [4] },
    ]);
  });

  it('a later INVALID_SPI keeps the established tunnel and is an attempt of its own', () => {
    expect(
      run(
        'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
        'A - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
        'A - SENDING>>>> ISAKMP OAK QM *(HASH)',
        'A - Loading IPsec SA (Message ID = 61965C8D) OUTBOUND SPI = 405 INBOUND SPI = 493B30CC)',
        'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH, NOTIFY:INVALID_SPI)',
      ).slice(1),
    ).toEqual([
      { phase: 2, outcome: 'established', lines: [3, 4] },
      { phase: 2, outcome: 'peer-error', notify: 'INVALID_SPI', lines: [5] },
    ]);
  });
});

describe('phase 1 inferred from traffic and free-text failures', () => {
  it('main mode closed in both directions, then quick mode: phase 1 established', () => {
    expect(
      run(
        'A - SENDING>>>> ISAKMP OAK MM *(ID, HASH)',
        'A - RECEIVED<<<< ISAKMP OAK MM *(ID, HASH)',
        'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
      ),
    ).toEqual([
      { phase: 1, outcome: 'established', lines: [2] },
      { phase: 2, outcome: 'incomplete', lines: [3] },
    ]);
  });

  it('Hash verification failed after main mode: authentication failed, not established', () => {
    const d = run(
      'HQ - SENDING>>>> ISAKMP OAK MM *(ID, HASH, NOTIFY:STATUS_INITIAL_CONTACT)',
      'HQ - RECEIVED<<<< ISAKMP OAK MM *(ID, HASH)',
      'HQ - Hash verification failed',
    );
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ phase: 1, outcome: 'authentication-failed' });
    expect(d[0]?.lines).toContain(3);
  });

  it('Cisco XAUTH failure: phase 1 established, then user authentication failed', () => {
    const d = run(
      ...HEAD(''),
      '3      10:46:26.001  03/15/10  Sev=Info/4\tIKE/0x63000013',
      'SENDING >>> ISAKMP OAK AG *(HASH, NOTIFY:STATUS_INITIAL_CONTACT, NAT-D, NAT-D) to 1.2.3.4',
      '4      10:46:26.100  03/15/10  Sev=Info/4\tIKE/0x63000014',
      'RECEIVING <<< ISAKMP OAK TRANS *(HASH, ATTR) from 1.2.3.4',
      '5      10:46:26.200  03/15/10  Sev=Info/4\tIKE/0x63000013',
      'SENDING >>> ISAKMP OAK TRANS *(HASH, ATTR) to 1.2.3.4',
      '6      10:46:26.300  03/15/10  Sev=Info/4\tIKE/0x63000014',
      'RECEIVING <<< ISAKMP OAK INFO *(HASH, DEL) from 1.2.3.4',
      '7      10:46:26.301  03/15/10  Sev=Info/4\tIKE/0x63000050',
      "Received IKE Delete: (Reason: 'User Authentication failed')",
    );
    expect(d).toEqual([
      { phase: 1, outcome: 'established', lines: [6] },
      { phase: 1, outcome: 'authentication-failed', stage: 'xauth', lines: [12, 14] },
    ]);
  });

  it('Cisco group password mismatch: authentication failed', () => {
    const d = run(
      ...HEAD(''),
      '3      10:46:26.001  03/15/10  Sev=Warning/2\tIKE/0xE300007E',
      'Hash verification failed... may be configured with invalid group password.',
      '4      10:46:26.002  03/15/10  Sev=Info/4\tIKE/0x6300004B',
      'Discarding IKE SA negotiation (I_Cookie=8E2F4AA1B2C3D4E5 R_Cookie=1122334455667788) reason = DEL_REASON_IKE_NEG_FAILED',
    );
    expect(d).toEqual([{ phase: 1, outcome: 'authentication-failed', lines: [6, 8] }]);
  });

  it('DEL_REASON_IKE_NEG_FAILED alone is a failure, not incomplete', () => {
    const d = run(
      ...HEAD(''),
      '4      10:46:26.002  03/15/10  Sev=Info/4\tIKE/0x6300004B',
      'Discarding IKE SA negotiation (I_Cookie=8E2F4AA1B2C3D4E5 R_Cookie=1122334455667788) reason = DEL_REASON_IKE_NEG_FAILED',
    );
    expect(d).toEqual([{ phase: 1, outcome: 'failed', lines: [6] }]);
  });

  it('a DWR (delete with reason) deletes an established SA like DEL', () => {
    expect(
      run(
        'A - Established IKE SA',
        '   MY COOKIE 1 2 3 4 5 6 7 8',
        '   HIS COOKIE 1 2 3 4 5 6 7 8',
        'A - RECEIVED<<<< ISAKMP OAK INFO *(HASH, DWR)',
      ),
    ).toEqual([{ phase: 1, outcome: 'deleted', lines: [1, 4] }]);
  });

  it('a gateway’s "No response - remote party timeout" is peer-not-responding', () => {
    const d = run(
      'RECEIVED<<< ISAKMP OAK AG (InitCookie 0xa1b340472acb64ac, MsgID: 0x0) (SA, KE, NON, ID, VID) openswan.ip, 500 sonicwall.ip, 500',
      'SENDING>>>> ISAKMP OAK AG (InitCookie 0xa1b340472acb64ac, MsgID: 0x0) (SA, KE, VID, NATD, NATD, NON, ID, VID, VID, HASH) sonicwall.ip, 500 openswan.ip, 500',
      'IKE Responder: No response - remote party timeout sonicwall.ip, 500 openswan.ip, 500',
      'IKE negotiation aborted due to timeout sonicwall.ip openswan.ip',
    );
    expect(d).toEqual([{ phase: 1, outcome: 'peer-not-responding', lines: [3, 4] }]);
  });
});
