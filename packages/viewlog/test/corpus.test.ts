import { type ExpectedConnection, listLogs, readCorpusText } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { createLineIndex, type Diagnosis, diagnose, format, parse } from '../src/index';

const logs = listLogs();
/** The client's four documented scenarios, transcribed from its document: these must read without a single diagnostic. */
const documented = logs.filter((c) => c.dialect === 'safenet' && c.provenance?.kind === 'transcribed');

/**
 * Every diagnosis of every corpus log, in full (`<connection or peer> <phase> <outcome>[ <notify>][ implied]`): the
 * manifest's vocabulary folds outcomes together, so this is what catches a wrong phase, notify or extra attempt. Read
 * from the logs by hand; a log without an entry fails.
 */
const OUTCOMES: Record<string, string[]> = {
  'safenet-mm-psk': ['Pre-share 1 established', 'Pre-share 2 established'],
  'safenet-mm-psk-inline': ['Pre-share 1 established', 'Pre-share 2 established'],
  'safenet-mm-psk-timed': ['Pre-share 1 established', 'Pre-share 2 established'],
  'safenet-ag-psk': ['Pre-share 1 established'],
  'safenet-ag-psk-timed': ['Pre-share 1 established'],
  'safenet-peer-not-responding': ['Demo 1 peer-not-responding'],
  'safenet-peer-not-responding-timed': ['Demo 1 peer-not-responding'],
  'safenet-qm-no-proposal-chosen': ['Demo 1 established implied', 'Demo 2 proposal-rejected NO_PROPOSAL_CHOSEN'],
  'safenet-qm-no-proposal-chosen-timed': ['Demo 1 established implied', 'Demo 2 proposal-rejected NO_PROPOSAL_CHOSEN'],
  'cisco-vpnclient-ag-xauth': ['198.51.100.7 1 established', '198.51.100.7 2 established'],
  'cisco-vpnclient-peer-not-responding': ['198.51.100.7 1 peer-not-responding'],
  'gateway-sonicwall-ag': ['10.0.0.1 1 established', '10.0.0.1 2 established'],
  'safenet-messy': [
    'My Connections\\Balt Corporate Access 1 established',
    'My Connections\\Balt Corporate Access 2 deleted',
  ],
  'vpnclient-log-pastebin-peer-not-responding': ['203.0.113.20 1 peer-not-responding'],
  'vpnclient-log-bbcode-established': ['vpn.example.net 1 established', 'vpn.example.net 2 established'],
  'vpnclient-cli-established': ['198.51.100.9 1 established', '198.51.100.9 2 established'],
  'vpnclient-cli-port-500': [' 1 local-failure'],
  'vpnclient-cli-firewall-policy': ['192.0.2.44 1 deleted'],
  'vpnclient-cli-lost': ['203.0.113.20 1 established', '203.0.113.20 2 lost'],
  'vpnclient-cli-virtual-adapter': ['198.51.100.7 1 established', '198.51.100.7 2 local-failure'],
  'vpnclient-cli-tcp-no-response': ['203.0.113.20 1 peer-not-responding'],
  'vpnclient-cli-xauth-quoted': ['198.51.100.7 1 established', '198.51.100.7 1 authentication-failed'],
  'sonicwall-export-id-mismatch': ['198.51.100.7 1 id-rejected'],
  'sonicwall-export-aggressive-mode': ['198.51.100.7 1 established'],
  'sonicwall-copy-invalid-id': ['198.51.100.7 1 established', '198.51.100.7 2 id-rejected INVALID_ID_INFORMATION'],
  'sonicwall-bare-header-verification': ['openswan.ip 1 exchange-rejected'],
  'sonicwall-syslog-proposal': ['198.51.100.7 1 established', '198.51.100.7 2 proposal-rejected'],
};

const full = (diagnoses: readonly Diagnosis[]) =>
  diagnoses.map(
    (d) =>
      `${d.connection ?? d.peer ?? ''} ${d.phase} ${d.outcome}${d.notify ? ` ${d.notify}` : ''}${d.implied ? ' implied' : ''}`,
  );

/** Our per-phase diagnoses in the manifest's vocabulary. */
function summarize(diagnoses: readonly Diagnosis[]): ExpectedConnection[] {
  const keys = [
    ...new Set(diagnoses.map((d) => `${d.connection ?? ''}\u0000${d.connection === undefined ? (d.peer ?? '') : ''}`)),
  ];
  return keys.map((key) => {
    const mine = diagnoses.filter(
      (d) => `${d.connection ?? ''}\u0000${d.connection === undefined ? (d.peer ?? '') : ''}` === key,
    );
    const last = (phase: 1 | 2) => mine.filter((d) => d.phase === phase).at(-1);
    // The manifest's vocabulary has no 'deleted': an SA deleted later was established first.
    const up = (d: Diagnosis | undefined) => (d?.outcome === 'deleted' ? { ...d, outcome: 'established' as const } : d);
    const p1 = up(last(1));
    const p2 = up(last(2));
    const phase1 =
      p1 === undefined
        ? 'unknown'
        : p1.outcome === 'established' || p1.outcome === 'peer-not-responding'
          ? p1.outcome
          : 'failed';
    const phase2 =
      p2 === undefined
        ? 'not-attempted'
        : p2.outcome === 'established' || p2.outcome === 'proposal-rejected' || p2.outcome === 'lost'
          ? p2.outcome
          : p2.outcome === 'incomplete'
            ? 'unknown'
            : 'failed';
    const outcome =
      phase1 === 'peer-not-responding'
        ? 'peer-not-responding'
        : phase1 === 'failed'
          ? 'phase1-failed'
          : phase2 === 'established'
            ? 'established'
            : phase2 === 'proposal-rejected'
              ? 'phase2-proposal-rejected'
              : phase2 === 'lost'
                ? 'lost'
                : phase2 === 'failed'
                  ? 'phase2-failed'
                  : 'phase1-established';
    const first = mine[0];
    return {
      connection: first?.connection ?? null,
      ...(first?.connection === undefined && first?.peer !== undefined ? { peer: first.peer } : {}),
      phase1,
      phase2,
      outcome,
    } as ExpectedConnection;
  });
}

describe('corpus View Logs', () => {
  it('holds the documented scenarios', () => {
    expect(documented.length).toBeGreaterThanOrEqual(4);
    const shows = documented.map((c) => c.provenance?.source ?? '').join('\n');
    for (const scenario of ['main mode', 'aggressive mode', 'peer not responding', 'failed quick mode'])
      expect(shows).toContain(scenario);
  });

  describe.each(logs.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const text = readCorpusText(c.path);
    const r = parse(text);

    it('prints back byte-exact', () => {
      expect(format(r.events)).toBe(text);
    });

    it('detects its dialect', () => {
      expect(r.dialect).toBe(c.dialect);
    });

    if (documented.includes(c)) {
      it('reads without diagnostics (a documented scenario)', () => {
        expect(r.diagnostics).toEqual([]);
      });
    } else {
      // Other logs may carry damage on purpose; their diagnostics must at least point into the text.
      it('places every diagnostic inside the text, at its line and column', () => {
        const index = createLineIndex(text);
        for (const d of r.diagnostics) {
          expect(d.offset).toBeGreaterThanOrEqual(0);
          expect(d.offset + d.length).toBeLessThanOrEqual(text.length);
          expect(index.position(d.offset)).toEqual({ line: d.line, column: d.column });
        }
      });
    }

    it('has one event source line per physical line', () => {
      const lines = new Set<number>();
      for (const e of r.events) for (let l = e.source?.line ?? 0; l <= (e.source?.endLine ?? -1); l++) lines.add(l);
      expect(c.lines).toBeDefined();
      expect(lines.size).toBe(c.lines);
      expect(lines.size).toBe(createLineIndex(text).lineCount - (text === '' || /[\r\n]$/.test(text) ? 1 : 0));
    });

    it('diagnoses every phase attempt as pinned here', () => {
      expect(OUTCOMES[c.name]).toBeDefined();
      expect(full(diagnose(r.events))).toEqual(OUTCOMES[c.name]);
    });

    const expected = c.expect;
    if (expected !== undefined) {
      it('reads the expected exchanges', () => {
        expect(r.events.flatMap((e) => (e.kind === 'ike-message' ? [e.exchange] : []))).toEqual(expected.exchanges);
      });

      it('diagnoses as expected', () => {
        expect(summarize(diagnose(r.events))).toEqual(expected.connections);
      });
    }
  });
});

describe('documented scenarios, in detail', () => {
  const byName = new Map(logs.map((c) => [c.name, c]));
  const read = (name: string) => {
    const c = byName.get(name);
    return c ? diagnose(parse(readCorpusText(c.path)).events) : undefined;
  };

  it('peer not responding names the retransmissions and the exceeded line, and says to check connectivity', () => {
    const d = read('safenet-peer-not-responding');
    if (!d) throw new Error('the corpus lacks safenet-peer-not-responding');
    expect(d).toHaveLength(1);
    expect(d[0]?.outcome).toBe('peer-not-responding');
    expect(d[0]?.evidence.map((e) => e.text)).toContain('Demo - Exceeded 3 IKE SA negotiation attempts');
    expect(d[0]?.nextStep).toMatch(/connectivity/);
  });

  it('failed quick mode points at the NO_PROPOSAL_CHOSEN lines and the peer’s IPsec proposal', () => {
    const d = read('safenet-qm-no-proposal-chosen');
    if (!d) throw new Error('the corpus lacks safenet-qm-no-proposal-chosen');
    const p2 = d.find((x) => x.phase === 2);
    expect(p2).toMatchObject({ connection: 'Demo', outcome: 'proposal-rejected', notify: 'NO_PROPOSAL_CHOSEN' });
    expect(p2?.evidence.map((e) => e.line)).toEqual([1, 2, 3, 4]);
    expect(p2?.nextStep).toMatch(/IPsec proposal/);
  });
});
