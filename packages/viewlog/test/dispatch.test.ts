/**
 * The message rules are tried by the first character of the message (rules.ts: a message is matched only against the
 * templates its first letter can start). Literals compare without regard to case, so the dispatch must too: a canonical
 * line whose message starts in the other case reads as the same event as the canonical line itself.
 */
import { test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { linePrefix } from '../src/format';
import { checkEvent, formatEvent, type LinePrefix, type LogEvent, parse } from '../src/index';
import { safenetEvent, strip } from './arbitraries';

/** The kinds read by templates (the dispatched rules); free-text patterns keep their own case rules. */
const TEMPLATE_KINDS = new Set<LogEvent['kind']>([
  'ike-message',
  'phase1-start',
  'ike-sa-established',
  'phase2-start',
  'loading-ipsec-sa',
  'retransmit',
  'exceeded-attempts',
  'received-notify',
  'packet-received',
]);

/** The event's line with the letter at the start of its message (after time and connection) in the other case. */
function flipMessageCase(line: string, e: LogEvent): string | undefined {
  // The message starts right after the prefix the printer wrote (a connection name may itself hold ` - `).
  const prefix = linePrefix(e as LinePrefix);
  if (!line.startsWith(prefix)) return undefined;
  const head = prefix.length;
  const c = line[head];
  if (c === undefined || !/[A-Za-z]/.test(c)) return undefined;
  const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  return line.slice(0, head) + flipped + line.slice(head + 1);
}

test.prop([safenetEvent], { numRuns: 200 })('a message reads the same whatever the case of its first letter', (e) => {
  // Some generated events cannot print as themselves (a vendor name with an unbalanced parenthesis): nothing to flip.
  if (!TEMPLATE_KINDS.has(e.kind) || checkEvent(e) !== undefined) return;
  const line = formatEvent(e);
  const flipped = flipMessageCase(line, e);
  if (flipped === undefined) return;
  const want = parse(line, { dialect: 'safenet' });
  const got = parse(flipped, { dialect: 'safenet' });
  expect(got.events.map((x) => x.kind)).toEqual(want.events.map((x) => x.kind));
  // Only the letter's case differs: the spelling is kept where a field holds it, so compare the kinds and shapes.
  expect(strip(got.events).map((x) => Object.keys(x).sort())).toEqual(
    strip(want.events).map((x) => Object.keys(x).sort()),
  );
});
