/** Throughput of the bridge over the whole corpus: one session per capture, and `render` alone per message. */
import { listCaptures, readCorpusBytes } from '@oaklog/corpus';
import { decode, type Message } from '@oaklog/isakmp';
import { bench, describe } from 'vitest';
import { createSession, render } from '../src/index';
import { ikeDatagrams } from '../test/helpers';

const captures = listCaptures().map((c) => ikeDatagrams(readCorpusBytes(c.path)));
const datagrams = captures.flat();
const messages: Message[] = datagrams.map((d) => decode(d.bytes));

describe(`corpus: ${captures.length} captures, ${datagrams.length} datagrams`, () => {
  bench('createSession + push every datagram (decode included)', () => {
    for (const capture of captures) {
      const s = createSession();
      for (const d of capture) s.push(d);
      s.finish();
    }
  });

  bench('render every decoded message', () => {
    for (const m of messages) render(m, { direction: 'sent', connection: 'Bench' });
  });
});
