import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { diagnose, explain, parse } from '../src/index';

const run = (text: string) => diagnose(parse(text).events);

const P1 = [
  'Corp - Initiating IKE Phase 1 (IP ADDR=198.51.100.7)',
  'Corp - SENDING>>>> ISAKMP OAK MM (SA)',
  'Corp - RECEIVED<<<< ISAKMP OAK MM (SA)',
  'Corp - SENDING>>>> ISAKMP OAK MM (KE, NON, VID, VID)',
  'Corp - RECEIVED<<<< ISAKMP OAK MM (KE, NON)',
  'Corp - SENDING>>>> ISAKMP OAK MM *(ID, HASH, NOTIFY:STATUS_INITIAL_CONTACT)',
];
const UP = [
  'Corp - RECEIVED<<<< ISAKMP OAK MM *(ID, HASH)',
  'Corp - Established IKE SA',
  '   MY COOKIE 1f f5 e4 d 84 30 f9 5c',
  '   HIS COOKIE 4c af 1f 2c 20 16 d0 ec',
  'Corp - Initiating IKE Phase 2 with Client IDs (message id: 61965C8D)',
  '  Initiator = IP ADDR=192.0.2.10, prot = 0 port = 0',
  '  Responder = IP SUBNET/MASK=10.0.0.0/255.255.255.0, prot = 0 port = 0',
  'Corp - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
];
const lines = (...parts: string[][]) => `${parts.flat().join('\n')}\n`;

describe('diagnose', () => {
  it.each<[string, string, { phase: 1 | 2; outcome: string; notify?: string }[], RegExp]>([
    [
      'phase-1 proposal rejected',
      lines(P1.slice(0, 2), ['Corp - RECEIVED<<<< ISAKMP OAK INFO (NOTIFY:NO_PROPOSAL_CHOSEN)']),
      [{ phase: 1, outcome: 'proposal-rejected', notify: 'NO_PROPOSAL_CHOSEN' }],
      /IKE policy/,
    ],
    [
      // The exchange went on past a stray notify of its own, and the client wrote that the SA came up.
      'an error notify, then the exchange goes on and the IKE SA is established',
      lines(
        P1.slice(0, 3),
        ['Corp - SENDING>>>> ISAKMP OAK INFO (NOTIFY:NO_PROPOSAL_CHOSEN)'],
        P1.slice(3),
        UP.slice(0, 4),
      ),
      [{ phase: 1, outcome: 'established' }],
      /Phase 1 is up/,
    ],
    [
      // A responder's log: the peer's proposal, resent, never answered; then the peer proposes again and it comes up.
      'seen from the responder, an unanswered proposal and a new one after it',
      lines(
        ['Corp - RECEIVED<<<< ISAKMP OAK MM (SA)', 'Corp - RECEIVED<<<< ISAKMP OAK MM (Retransmission)'],
        [
          'Corp - RECEIVED<<<< ISAKMP OAK MM (SA)',
          'Corp - SENDING>>>> ISAKMP OAK MM (SA)',
          'Corp - RECEIVED<<<< ISAKMP OAK MM (KE, NON)',
          'Corp - SENDING>>>> ISAKMP OAK MM (KE, NON)',
          'Corp - RECEIVED<<<< ISAKMP OAK MM *(ID, HASH)',
          'Corp - SENDING>>>> ISAKMP OAK MM *(ID, HASH)',
          'Corp - Established IKE SA',
          '   MY COOKIE 1f f5 e4 d 84 30 f9 5c',
          '   HIS COOKIE 4c af 1f 2c 20 16 d0 ec',
        ],
      ),
      [
        { phase: 1, outcome: 'failed' },
        { phase: 1, outcome: 'established' },
      ],
      /Phase 1 is up/,
    ],
    [
      'authentication failed',
      lines(P1, ['Corp - RECEIVED<<<< ISAKMP OAK INFO *(HASH, NOTIFY:AUTHENTICATION_FAILED)']),
      [{ phase: 1, outcome: 'authentication-failed', notify: 'AUTHENTICATION_FAILED' }],
      /pre-shared key or certificate/,
    ],
    [
      'RFC spelling AUTHENTICATION-FAILED',
      lines(P1, ['Received AUTHENTICATION-FAILED message']),
      [{ phase: 1, outcome: 'authentication-failed', notify: 'AUTHENTICATION_FAILED' }],
      /pre-shared key/,
    ],
    [
      'payload malformed after the encrypted exchange: key mismatch',
      lines(P1, ['Corp - RECEIVED<<<< ISAKMP OAK INFO (NOTIFY:PAYLOAD_MALFORMED)']),
      [{ phase: 1, outcome: 'authentication-failed', notify: 'PAYLOAD_MALFORMED' }],
      /could not decrypt/,
    ],
    [
      'ID rejected in quick mode',
      lines(P1, UP, ['Corp - RECEIVED<<<< ISAKMP OAK INFO *(HASH, NOTIFY:INVALID_ID_INFORMATION)']),
      [
        { phase: 1, outcome: 'established' },
        { phase: 2, outcome: 'id-rejected', notify: 'INVALID_ID_INFORMATION' },
      ],
      /client IDs/,
    ],
    [
      'quick mode without answer',
      lines(P1, UP, [
        'Corp - message not received! Retransmitting!',
        'Corp - SENDING>>>> ISAKMP OAK QM *(Retransmission)',
        'Exceeded retry attempts - deleting IPSec Security Association',
      ]),
      [
        { phase: 1, outcome: 'established' },
        { phase: 2, outcome: 'peer-not-responding' },
      ],
      /connectivity/,
    ],
    [
      'established, then deleted',
      lines(P1, UP, [
        'Corp - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
        'Corp - SENDING>>>> ISAKMP OAK QM *(HASH)',
        'Corp - Loading IPsec SA (Message ID = 61965C8D) OUTBOUND SPI = 405 INBOUND SPI = 493B30CC)',
        'Corp - RECEIVED<<<< ISAKMP OAK INFO *(HASH, DEL)',
      ]),
      [
        { phase: 1, outcome: 'established' },
        { phase: 2, outcome: 'deleted' },
      ],
      /deleted/,
    ],
    ['log ends mid-negotiation', lines(P1.slice(0, 3)), [{ phase: 1, outcome: 'incomplete' }], /log/],
  ])('%s', (_name, text, expected, nextStep) => {
    const d = run(text);
    expect(d.map((x) => ({ phase: x.phase, outcome: x.outcome, ...(x.notify ? { notify: x.notify } : {}) }))).toEqual(
      expected,
    );
    expect(d.at(-1)?.nextStep).toMatch(nextStep);
    for (const x of d) {
      expect(x.connection).toBe('Corp');
      expect(x.evidence.length).toBeGreaterThan(0);
      // Evidence lines are real lines of the text.
      for (const ev of x.evidence) expect(text.split('\n')[ev.line - 1]?.trim()).toBe(ev.text.split('\n')[0]);
    }
  });

  it('keeps connections apart and credits unnamed lines to the one before', () => {
    const d = run(
      lines([
        'A - SENDING>>>> ISAKMP OAK MM (SA)',
        'B - SENDING>>>> ISAKMP OAK MM (SA)',
        'B - RECEIVED<<< ISAKMP OAK INFO (NOTIFY:NO_PROPOSAL_CHOSEN)',
        'Received NO_PROPOSAL_CHOSEN message',
        'A - message not received! Retransmitting!',
        'A - Exceeded 3 IKE SA negotiation attempts',
      ]),
    );
    expect(d.map((x) => [x.connection, x.phase, x.outcome])).toEqual([
      ['A', 1, 'peer-not-responding'],
      ['B', 1, 'proposal-rejected'],
    ]);
    expect(d[1]?.evidence.map((e) => e.line)).toEqual([3, 4]);
  });

  it('implies phase 1 once, before the first of several phase-2 attempts', () => {
    const d = run(
      lines([
        'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
        'A - RECEIVED<<< ISAKMP OAK INFO *(HASH, NOTIFY:NO_PROPOSAL_CHOSEN)',
        'A - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
        'A - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
        'A - SENDING>>>> ISAKMP OAK QM *(HASH)',
      ]),
    );
    expect(d.map((x) => [x.phase, x.outcome, x.implied ?? false])).toEqual([
      [1, 'established', true],
      [2, 'proposal-rejected', false],
      [2, 'established', false],
    ]);
    expect(d[0]?.evidence.map((e) => e.line)).toEqual([1]);
  });

  it('returns nothing for a log without negotiation', () => {
    expect(run('just a note\n\n')).toEqual([]);
  });

  it('starts a new attempt when a new proposal follows a failed one', () => {
    const d = run(
      lines([
        'A - SENDING>>>> ISAKMP OAK MM (SA)',
        'A - RECEIVED<<<< ISAKMP OAK INFO (NOTIFY:NO_PROPOSAL_CHOSEN)',
        'A - SENDING>>>> ISAKMP OAK MM (SA)',
        'A - RECEIVED<<<< ISAKMP OAK MM (SA)',
      ]),
    );
    expect(d.map((x) => x.outcome)).toEqual(['proposal-rejected', 'incomplete']);
  });
});

describe('diagnose and explain on anything parse returns', () => {
  const logish = fc
    .array(
      fc.constantFrom(
        'Demo - SENDING>>>> ISAKMP OAK MM (SA)\n',
        'Demo - RECEIVED<<< ISAKMP OAK INFO *(HASH, NOTIFY:NO_PROPOSAL_CHOSEN)\n',
        'Demo - RECEIVED<<<< ISAKMP OAK INFO *(HASH, DEL)\n',
        'Received AUTHENTICATION_FAILED message\n',
        'Demo - SENDING>>>> ISAKMP OAK QM *(Retransmission)\n',
        'Demo - Established IKE SA\n',
        '   MY COOKIE 1 2 3 4 5 6 7 8\n',
        'Other - Initiating IKE Phase 2 with Client IDs (message id: 5)\n',
        'Other - Loading IPsec SA (Message ID = 5) OUTBOUND SPI = 1 INBOUND SPI = 2)\n',
        'Exceeded retry attempts - deleting IPSec Security Association\n',
        'Demo - Exceeded 3 IKE SA negotiation attempts\n',
        'Demo - Deleting IKE SA\n',
        'RECEIVING <<< ISAKMP OAK AG (SA, KE, NON, ID, HASH) from 10.0.0.1\n',
        'SENDING >>> ISAKMP OAK AG *(HASH) to 10.0.0.1\n',
        'a pasted note\n',
      ),
      { maxLength: 30 },
    )
    .map((l) => l.join(''));

  test.prop([logish], { numRuns: 400 })('every diagnosis has evidence on real lines and a next step', (text) => {
    const { events } = parse(text);
    const lineCount = text.split('\n').length;
    for (const d of diagnose(events)) {
      expect(d.evidence.length).toBeGreaterThan(0);
      for (const ev of d.evidence) {
        expect(ev.line).toBeGreaterThanOrEqual(1);
        expect(ev.line).toBeLessThanOrEqual(lineCount);
        const e = events[ev.index];
        expect(e?.source?.line).toBe(ev.line);
        // The evidence is that line as written, and it belongs to the diagnosed connection (or names none).
        expect(ev.text).toBe(e?.source?.raw.trim());
        const own = e !== undefined && 'connection' in e ? e.connection : undefined;
        if (own !== undefined) expect(own).toBe(d.connection);
      }
      expect(d.nextStep.length).toBeGreaterThan(10);
      expect(d.summary.length).toBeGreaterThan(10);
    }
    for (const e of events) expect(explain(e).length).toBeGreaterThan(5);
  });

  test.prop([fc.string({ maxLength: 300 })], { numRuns: 300 })('never throws on arbitrary text', (text) => {
    const { events } = parse(text);
    expect(() => diagnose(events)).not.toThrow();
    for (const e of events) expect(typeof explain(e)).toBe('string');
  });
});

describe('exchanges no client named', () => {
  it('are no evidence of a phase: a log of them alone gets no diagnosis', () => {
    const text = [
      '16:22:41.001 12.251.225.45 - SENDING>>>> ISAKMP OAK EXCHANGE_16 (PAYLOAD_34, UNREADABLE)',
      '16:22:42.001 12.251.225.45 - RECEIVED<<<< ISAKMP OAK EXCHANGE_243 (PAYLOAD_133, SA, NON)',
      '',
    ].join('\n');
    expect(diagnose(parse(text).events)).toEqual([]);
  });

  it('leave the phases around them as they were', () => {
    const text = lines(P1.slice(0, 2), [
      'Corp - RECEIVED<<<< ISAKMP OAK EXCHANGE_77 (SA)',
      'Corp - RECEIVED<<<< ISAKMP OAK INFO (NOTIFY:NO_PROPOSAL_CHOSEN)',
    ]);
    expect(diagnose(parse(text).events).map((d) => [d.phase, d.outcome])).toEqual([[1, 'proposal-rejected']]);
  });
});
