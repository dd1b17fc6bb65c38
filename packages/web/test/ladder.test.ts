import { getLog, readCorpusText } from '@oaklog/corpus';
import { parse } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { ladderMessage, ladderNote, ladderSteps } from '../src/ladder';

function steps(text: string) {
  return ladderSteps(
    parse(text).events.map((e, index) => {
      const message = ladderMessage(e);
      const note = message === undefined ? ladderNote(e) : undefined;
      return { index, ...(message === undefined ? {} : { message }), ...(note === undefined ? {} : { note }) };
    }),
  );
}

describe('the ladder model', () => {
  it('has one arrow per SENDING/RECEIVED line, phase boundaries where the exchange moves on', () => {
    const s = steps(readCorpusText(getLog('safenet-mm-psk').path));
    expect(s.filter((x) => x.type === 'arrow')).toHaveLength(10);
    expect(s.filter((x) => x.type === 'phase').map((x) => x.type === 'phase' && x.name)).toEqual([
      'Phase 1 · Main Mode',
      'Phase 2 · Quick Mode',
    ]);
    expect(s.flatMap((x) => (x.type === 'note' ? [x.note.tone] : []))).toEqual(['info', 'ok', 'info', 'ok']);
  });

  it('marks resends, error notifies and giving up', () => {
    const s = steps(
      [
        'Demo - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
        'Demo - RECEIVED<<< ISAKMP OAK INFO *(HASH, NOTIFY:NO_PROPOSAL_CHOSEN)',
        'Received NO_PROPOSAL_CHOSEN message',
        'Demo - message not received! Retransmitting!',
        'Demo - SENDING>>>> ISAKMP OAK QM *(Retransmission)',
        'Exceeded retry attempts - deleting IPSec Security Association',
        '',
      ].join('\n'),
    );
    const arrows = s.flatMap((x) => (x.type === 'arrow' ? [x.message] : []));
    expect(arrows.map((a) => [a.direction, a.exchange, a.payloads, a.retransmission, a.failure])).toEqual([
      ['sent', 'QM', '*(HASH, SA, NON, ID, ID)', false, undefined],
      ['received', 'INFO', '*(HASH, NOTIFY:NO_PROPOSAL_CHOSEN)', false, 'NO_PROPOSAL_CHOSEN'],
      ['sent', 'QM', '*(Retransmission)', true, undefined],
    ]);
    // The informational answer stays in the quick mode it answers: one boundary.
    expect(s.filter((x) => x.type === 'phase')).toHaveLength(1);
    expect(s.flatMap((x) => (x.type === 'note' ? [x.note.tone] : []))).toEqual(['fail', 'resend', 'fail']);
  });

  it('calls a status notify no failure, and an unreadable message one', () => {
    const s = steps(
      'A - RECEIVED<<< ISAKMP OAK INFO *(HASH, NOTIFY:STATUS_INITIAL_CONTACT)\nA - RECEIVED<<< ISAKMP OAK MM (SA, UNREADABLE)\n',
    );
    const arrows = s.flatMap((x) => (x.type === 'arrow' ? [x.message.failure] : []));
    expect(arrows).toEqual([undefined, 'unreadable']);
    expect(s[0]).toEqual({ type: 'phase', name: 'Informational' });
  });
});
