/** Diagnosing stays linear in the log and holds bounded state however many attempts and lines it sees. */
import { listLogs, readCorpusText } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { countingDiagnoser } from '../src/diagnose';
import { createDiagnoser, diagnose, type LogEvent, parse, parseStream } from '../src/index';

const hex = (n: number) => (n & 0xff).toString(16);

/**
 * `n` phase-1 attempts of one connection, each establishing an IKE SA with a cookie of its own; `deleteUnknown`: each
 * followed by a delete naming a cookie no attempt has (a search of the attempts would look at every one).
 */
function rekeys(n: number, deleteUnknown = false): string {
  let text = '';
  for (let i = 0; i < n; i++) {
    text += 'Demo - Initiating IKE Phase 1 (IP ADDR=10.0.0.1)\n';
    text += 'Demo - SENDING>>>> ISAKMP OAK MM (SA)\nDemo - RECEIVED<<< ISAKMP OAK MM (SA)\n';
    text += `Demo - Established IKE SA\n  MY COOKIE ${hex(i)} ${hex(i >> 8)} 3 4 5 6 7 8\n  HIS COOKIE 1 2 3 4 5 6 7 8\n`;
    if (deleteUnknown) text += 'Demo - Deleting IKE SA (MY COOKIE ff ff ff ff ff ff ff ff)\n';
  }
  return text;
}

/** The same log again and again: every repetition establishes the same cookie. */
const repeated = (n: number) => readCorpusText('logs/safenet-mm-psk.log').repeat(n);

function work(events: readonly LogEvent[]): number {
  const d = countingDiagnoser({ maxAttempts: Number.POSITIVE_INFINITY });
  for (const e of events) d.push(e);
  d.finish();
  return d.work;
}

describe('diagnose bounds', () => {
  it.each([
    ['distinct cookies, none deleted', (n: number) => rekeys(n)],
    ['distinct cookies, each followed by a delete naming an unknown cookie', (n: number) => rekeys(n, true)],
    ['one log repeated (the same cookie every time)', repeated],
  ])('work grows linearly with the attempts: %s', (_name, make) => {
    const small = parse(make(300)).events;
    const large = parse(make(1200)).events;
    // Four times the log, about four times the work (a scan of earlier attempts per event made it sixteen).
    expect(work(large) / work(small)).toBeLessThan(4.5);
    expect(work(large)).toBeLessThan(3 * large.length);
  });

  it('reports the first maxAttempts attempts, exactly as diagnose does, and counts the rest', () => {
    const { events } = parse(rekeys(500));
    const d = createDiagnoser({ maxAttempts: 40 });
    for (const e of events) d.push(e);
    const { diagnoses, omitted } = d.finish();
    expect(diagnoses).toEqual(diagnose(events).slice(0, 40));
    expect(omitted).toBe(460);
  });

  it('holds at most maxConnections connections, forgetting only ones with no reported attempt', () => {
    // Every line names a new connection: without the bound each would be held to the end.
    const text = Array.from({ length: 3000 }, (_, i) => `Conn${i} - SENDING>>>> ISAKMP OAK MM (SA)\n`).join('');
    const { events } = parse(text);
    const bounded = countingDiagnoser({ maxAttempts: 50, maxConnections: 200 });
    let most = 0;
    for (const e of events) {
      bounded.push(e);
      most = Math.max(most, bounded.connections);
    }
    expect(most).toBe(200);
    const { diagnoses, omitted } = bounded.finish();
    // The reported attempts are those an unbounded diagnoser reports: forgetting touched none of them.
    expect(diagnoses).toEqual(diagnose(events).slice(0, 50));
    expect(omitted).toBe(2950);
  });

  it('forgets nothing while the connections fit, and never a connection with a reported attempt', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Conn${i % 30} - SENDING>>>> ISAKMP OAK MM (SA)\n`).join('');
    const { events } = parse(text);
    const d = countingDiagnoser({ maxAttempts: 10, maxConnections: 20 });
    for (const e of events) d.push(e);
    expect(d.connections).toBeLessThanOrEqual(20);
    expect(d.finish().diagnoses).toEqual(diagnose(events).slice(0, 10));
    const roomy = countingDiagnoser({ maxConnections: 30 });
    for (const e of events) roomy.push(e);
    expect(roomy.connections).toBe(30);
    expect(roomy.finish().diagnoses).toEqual(diagnose(events));
  });

  it('keeps the first and the last evidence lines of a flood, and counts those in between', () => {
    const lines = ['Demo - SENDING>>>> ISAKMP OAK MM (SA)'];
    for (let i = 0; i < 500; i++)
      lines.push('Demo - message not received! Retransmitting!', 'Demo - SENDING>>>> ISAKMP OAK MM (Retransmission)');
    lines.push('Demo - Exceeded 3 IKE SA negotiation attempts');
    const [d] = diagnose(parse(`${lines.join('\n')}\n`).events);
    expect(d?.outcome).toBe('peer-not-responding');
    expect(d?.summary).toContain('after 500 retransmissions');
    const shown = d?.evidence.map((e) => e.line) ?? [];
    expect(shown).toHaveLength(32);
    expect(shown.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, k) => k + 2));
    expect(shown.slice(16)).toEqual(Array.from({ length: 16 }, (_, k) => lines.length - 15 + k));
    expect(d?.omittedEvidence).toBe(1001 - 32);
  });

  it('counts every unanswered R-U-THERE of a flood though it keeps only some', () => {
    const lines = [
      'Demo - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
      'Demo - RECEIVED<<< ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
      'Demo - SENDING>>>> ISAKMP OAK QM *(HASH)',
      'Demo - Loading IPsec SA (Message ID = 1 OUTBOUND SPI = 2 INBOUND SPI = 3)',
      ...Array.from({ length: 100 }, () => 'Demo - SENDING>>>> ISAKMP OAK INFO *(HASH, NOTIFY:R_U_THERE)'),
    ];
    const ds = diagnose(parse(`${lines.join('\n')}\n`).events);
    const dead = ds.find((d) => d.phase === 2);
    expect(dead?.summary).toContain('(100 R-U-THERE unanswered)');
    expect(dead?.evidence.length).toBeLessThanOrEqual(32);
  });

  it.each(listLogs().map((c) => [c.name, c] as const))(
    '%s: the streaming diagnoser fed by parseStream equals diagnose(parse(text))',
    async (_name, c) => {
      const text = readCorpusText(c.path);
      const d = createDiagnoser();
      for await (const { event } of parseStream([text])) d.push(event);
      const whole = createDiagnoser();
      for (const e of parse(text).events) whole.push(e);
      const result = d.finish();
      expect(result).toEqual(whole.finish());
      expect(result.diagnoses).toEqual(diagnose(parse(text).events));
      expect(result.omitted).toBe(0);
    },
  );
});
