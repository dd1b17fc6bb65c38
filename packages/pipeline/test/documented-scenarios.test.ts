/**
 * The client's four documented scenarios as synthesized captures (corpus/cases/synth-*, made by `oaklog synth`): the
 * View Log this pipeline prints for each equals the synthesizer's own expected log exactly, and, read by the grammar,
 * holds the lines the troubleshooting note documents (the transcribed corpus logs) in their order, apart from what
 * differs per run: connection name, addresses, cookies, message IDs, SPIs, times, and the arrow's spelling
 * (`RECEIVED<<<` and `RECEIVED<<<<` are one direction). The main mode scenario is documented whole, so there the lines
 * must be the same; the other three are excerpts, so there the documented lines must come in order among ours.
 */
import { corpusPath, getCapture, readCorpusBytes, readCorpusText } from '@oaklog/corpus';
import { parseKeysJson } from '@oaklog/crypto';
import { readCaptureBytes } from '@oaklog/pcap';
import { diagnose, type LogEvent, parse } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { viewLog } from '../src/index';

/** What a line says once the per-run values are set aside: its kind and the fields the note documents. */
function shape(e: LogEvent): string | undefined {
  switch (e.kind) {
    case 'ike-message': {
      const items = e.retransmission ? 'Retransmission' : e.items.map((i) => i.notify ?? i.payload).join(', ');
      return `${e.direction} ${e.exchange} ${e.encrypted ? '*' : ''}(${items})`;
    }
    case 'exceeded-attempts':
      return e.phase === 1 ? `exceeded phase 1 after ${e.attempts}` : 'exceeded phase 2';
    case 'received-notify':
      return `received ${e.notify}`;
    case 'phase1-start':
    case 'ike-sa-established':
    case 'phase2-start':
    case 'loading-ipsec-sa':
    case 'retransmit':
      return e.kind;
    default:
      return undefined;
  }
}
const shapes = (text: string) =>
  parse(text)
    .events.map(shape)
    .filter((s): s is string => s !== undefined);

/** Whether `part` appears in `whole` in order (not necessarily side by side). */
function inOrder(part: readonly string[], whole: readonly string[]): boolean {
  let i = 0;
  for (const s of whole) if (s === part[i]) i++;
  return i === part.length;
}

const SCENARIOS = [
  { name: 'synth-main-mode-success', documented: 'logs/safenet-mm-psk.log', whole: true, outcome: 'established' },
  {
    name: 'synth-aggressive-mode-success',
    documented: 'logs/safenet-ag-psk.log',
    whole: false,
    outcome: 'established',
  },
  {
    name: 'synth-peer-not-responding',
    documented: 'logs/safenet-peer-not-responding.log',
    whole: false,
    outcome: 'peer-not-responding',
  },
  {
    name: 'synth-qm-no-proposal-chosen',
    documented: 'logs/safenet-qm-no-proposal-chosen.log',
    whole: false,
    outcome: 'proposal-rejected',
  },
] as const;

describe.each(SCENARIOS)('$name', ({ name, documented, whole, outcome }) => {
  const c = getCapture(name);
  const expected = readCorpusText(c.expectedLog as string);
  const connection = /^\S+ (.+?) - /.exec(expected)?.[1] as string;
  const keys = c.keys === undefined ? [] : parseKeysJson(readCorpusText(c.keys)).ikeSas;
  const ours = viewLog(readCaptureBytes(readCorpusBytes(c.path)), { keys, connection });

  it('prints exactly the expected log the synthesizer wrote', () => {
    expect(corpusPath(c.path)).toMatch(/capture\.pcap$/);
    expect(ours).toBe(expected);
  });

  it(`holds the documented lines (${whole ? 'all of them' : 'an excerpt'}) in their order`, () => {
    const note = shapes(readCorpusText(documented));
    const mine = shapes(ours);
    expect(note.length).toBeGreaterThan(2);
    if (whole) expect(mine).toEqual(note);
    else expect(inOrder(note, mine), `${note.join('\n')}\n--- not in order in ---\n${mine.join('\n')}`).toBe(true);
  });

  it(`is diagnosed as the note documents it: ${outcome}`, () => {
    const diagnoses = diagnose(parse(ours).events);
    expect(diagnoses.at(-1)?.outcome).toBe(outcome);
    if (outcome === 'proposal-rejected')
      expect(diagnoses.at(-1)).toMatchObject({ phase: 2, notify: 'NO_PROPOSAL_CHOSEN' });
  });
});
