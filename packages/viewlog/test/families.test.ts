/**
 * The log families people paste (issue #12): each corpus fixture of the Cisco VPN Client Log Viewer, the `vpnclient`
 * command line and SonicWALL reads almost every line as a typed event, leaves no recognisable line `unknown`, and
 * diagnoses what its lines show. The expectations were read from the fixtures by hand.
 */
import { listLogs, readCorpusText } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { createDiagnoser, type Diagnosis, explain, type LogEvent, parse, parseStream, verdict } from '../src/index';

const families = listLogs().filter((c) => /^(?:vpnclient|sonicwall)-/.test(c.name));

/** What each fixture's diagnosis must say, beyond its outcome (pinned in corpus.test.ts). */
const FACTS: Record<string, (d: Diagnosis[]) => void> = {
  'vpnclient-log-pastebin-peer-not-responding': (d) => {
    expect(d[0]?.evidence.map((e) => e.text)).toContain(
      '- Unable to establish Phase 1 SA with server "203.0.113.20" because of "DEL_REASON_PEER_NOT_RESPONDING"',
    );
    expect(d[0]?.nextStep).toMatch(/connectivity/);
  },
  'vpnclient-log-bbcode-established': (d) => {
    expect(d[1]?.evidence.map((e) => e.text)).toContain('One secure connection established');
  },
  'vpnclient-cli-established': (d) => {
    expect(d[1]?.evidence.map((e) => e.text)).toEqual(['Your VPN connection is secure.']);
  },
  'vpnclient-cli-port-500': (d) => {
    expect(d[0]?.reason).toMatch(/port 500/);
    expect(d[0]?.nextStep).toMatch(/other IKE service/);
    expect(d[0]?.nextStep).not.toMatch(/connectivity/);
  },
  'vpnclient-cli-firewall-policy': (d) => {
    expect(d[0]).toMatchObject({ closedBy: 'peer', reason: 'Firewall Policy Mismatch' });
    expect(d[0]?.nextStep).toMatch(/firewall/);
  },
  'vpnclient-cli-lost': (d) => {
    expect(d[1]?.reason).toMatch(/interface/);
    expect(d[1]?.nextStep).toMatch(/interface/);
  },
  'vpnclient-cli-virtual-adapter': (d) => {
    expect(d[1]?.reason).toMatch(/virtual adapter/);
    expect(d[1]?.nextStep).toMatch(/adapter/);
  },
  'vpnclient-cli-tcp-no-response': (d) => {
    expect(d[0]?.nextStep).toMatch(/TCP 10000/);
  },
  'vpnclient-cli-xauth-quoted': (d) => {
    expect(d[1]).toMatchObject({ stage: 'xauth', outcome: 'authentication-failed' });
  },
  'sonicwall-export-id-mismatch': (d) => {
    expect(d[0]?.reason).toMatch(/KEY ID/);
    expect(d[0]?.nextStep).toMatch(/IDs/);
  },
  'sonicwall-export-aggressive-mode': (d) => {
    expect(d).toHaveLength(1);
  },
  'sonicwall-copy-invalid-id': (d) => {
    expect(d[1]?.nextStep).toMatch(/client IDs|networks/);
  },
  'sonicwall-bare-header-verification': (d) => {
    // The peer kept answering: not a connectivity problem, whatever the timeout says.
    expect(d[0]?.nextStep).toMatch(/pre-shared key/);
    expect(d[0]?.nextStep).not.toMatch(/Check IP connectivity/);
  },
  'sonicwall-syslog-proposal': (d) => {
    expect(d[1]?.reason).toMatch(/does not match/);
  },
};

async function* once(text: string) {
  yield text;
}

describe.each(families.map((c) => [c.name, c] as const))('%s', (name, c) => {
  const text = readCorpusText(c.path);
  const r = parse(text);
  const meaningful = r.events.filter((e) => e.kind !== 'blank');
  const unknown = meaningful.filter((e) => e.kind === 'unknown');

  it('types every line (no unknown, no diagnostic)', () => {
    expect(unknown.map((e) => e.source?.raw)).toEqual([]);
    expect(r.diagnostics).toEqual([]);
    expect((meaningful.length - unknown.length) / meaningful.length).toBeGreaterThanOrEqual(0.95);
  });

  it('explains every line in words of its own (no echo of the message as "Log Viewer message")', () => {
    for (const e of meaningful) expect(explain(e)).not.toMatch(/^Log Viewer message:/);
  });

  it('says what its lines show', async () => {
    const d = createDiagnoser();
    for await (const { event } of parseStream(once(text))) d.push(event);
    const result = d.finish();
    expect(verdict(result)).toBeUndefined();
    expect(result.coverage.read).toBe(result.coverage.lines);
    FACTS[name]?.(result.diagnoses);
    expect(FACTS[name]).toBeDefined();
  });
});

describe('human additions and paste marks', () => {
  const kinds = (text: string) => parse(text).events.map((e: LogEvent) => (e.kind === 'note' ? e.note : e.kind));

  it('reads notes as notes', () => {
    expect(kinds('[These last two appear three times each]\n...\n[code]\nQuote from jdoe:\n')).toEqual([
      'comment',
      'elision',
      'markup',
      'quote-header',
    ]);
  });

  it('keeps paste marks on the event and prints the line back', () => {
    const text = '> - Your VPN connection is secure.[/I]\n';
    const r = parse(text);
    expect(r.events[0]).toMatchObject({ kind: 'known-message', quote: '> - ', quoteEnd: '[/I]' });
    expect(r.events[0]?.source?.raw).toBe(text);
  });

  it('counts the paste marks in diagnostic columns', () => {
    const r = parse('- Pre-share -SENDING>>>>ISAKMP OAK MM(SA)\n');
    expect(r.diagnostics[0]).toMatchObject({ code: 'SPACING', column: 14, offset: 13 });
  });

  it('types the columns of a SonicWALL row', () => {
    const r = parse(
      '1\t03/02/2012 14:07:44.120\tWarning\tVPN IKE\tIKE Responder: Proposed IKE ID mismatch\t198.51.100.7, 500\t203.0.113.20, 500\tVPN Policy NOT found for proposed ID type: KEY ID\t \n',
    );
    expect(r.events[0]).toMatchObject({
      kind: 'known-message',
      message: 'sonicwall.id-mismatch',
      row: {
        layout: 'tabs',
        number: 1,
        date: '03/02/2012',
        time: '14:07:44.120',
        priority: 'Warning',
        category: 'VPN IKE',
        source: '198.51.100.7, 500',
        destination: '203.0.113.20, 500',
        notes: 'VPN Policy NOT found for proposed ID type: KEY ID',
      },
    });
  });
});

describe('a SonicWALL row whose column separators a paste collapsed', () => {
  it('still finds the message after the category, and its endpoints', () => {
    const text =
      '7 03/02/2012 14:07:44.120 Warning VPN IKE IKE Responder: Proposed IKE ID mismatch 198.51.100.7, 500 203.0.113.20, 500\n';
    const r = parse(text);
    expect(r.events[0]).toMatchObject({
      kind: 'known-message',
      message: 'sonicwall.id-mismatch',
      values: { source: '198.51.100.7, 500', destination: '203.0.113.20, 500' },
      row: { layout: 'collapsed', number: 7, priority: 'Warning', category: 'VPN IKE' },
    });
    expect(r.events[0]?.source?.raw).toBe(text);
  });
});

describe('the verdict on a log as a whole', () => {
  const judge = (text: string) => {
    const d = createDiagnoser();
    for (const e of parse(text).events) d.push(e);
    return verdict(d.finish());
  };

  it('says when too little was read to judge, with the share', () => {
    expect(judge('hello\nworld\nthis is not a log\nSENDING>>>> ISAKMP OAK MM (SA)\n')).toMatch(
      /Too little .* read 1 of 4 non-blank lines \(25%\)/,
    );
  });

  it('tells a log without IKE lines from one without a negotiation', () => {
    expect(judge('Cisco Systems VPN Client Version 4.8.01 (0640)\nClient Type(s): Linux\n')).toMatch(
      /^No line of this log describes IKE or the tunnel/,
    );
    expect(judge('NAT passthrough is inactive\nLocal LAN Access is disabled\n')).toMatch(
      /^This log shows no IKE negotiation/,
    );
  });

  it('says nothing when the diagnoses speak for the log', () => {
    expect(judge('Initializing the VPN connection.\nContacting the gateway at 192.0.2.1\n')).toBeUndefined();
  });
});
