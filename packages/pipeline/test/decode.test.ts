/**
 * `decodeCapture`: the same pass as `viewCapture`, told datagram by datagram in capture order with each message's
 * plaintext, for a decoder's listing.
 */
import { getCapture, listCaptures, readCorpusBytes, readCorpusText } from '@oaklog/corpus';
import { parseKeysJson } from '@oaklog/crypto';
import { type CaptureItem, readCaptureBytes } from '@oaklog/pcap';
import { describe, expect, it } from 'vitest';
import { type DecodeItem, decodeCapture, viewCapture } from '../src/index';

function items(name: string): CaptureItem[] {
  return [...readCaptureBytes(readCorpusBytes(getCapture(name).path))];
}

async function all<T>(xs: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of xs) out.push(x);
  return out;
}

const keyed = listCaptures().filter((c) => c.keys !== undefined);

describe('decodeCapture', () => {
  it.each(keyed.map((c) => c.name))(
    '%s: one record per capture item, in order, as viewCapture counts',
    async (name) => {
      const c = getCapture(name);
      const keys = parseKeysJson(readCorpusText(c.keys as string)).ikeSas;
      const captured = items(name);
      const pass = decodeCapture(captured, { keys });
      const records: DecodeItem[] = await all(pass);
      expect(records.map((r) => r.item)).toEqual(captured);
      const view = viewCapture(captured, { keys });
      await all(view);
      // `cut` is a View Log count, and decodeCapture makes no View Log.
      expect(pass.summary).toEqual({ ...view.summary, cut: 0 });
      // Every encrypted first copy the View Log decrypted has its plaintext here, and resends too.
      const decrypted = records.filter((r) => r.kind === 'datagram' && r.decryption?.kind === 'decrypted');
      expect(decrypted.length).toBeGreaterThanOrEqual(view.summary.decrypted);
    },
  );

  it('takes a cookie prefix', async () => {
    const name = keyed[0]?.name as string;
    const first = (await all(decodeCapture(items(name)))).find((r) => r.kind === 'datagram');
    const ic =
      first?.kind === 'datagram' && first.read?.kind === 'message'
        ? first.read.message.header.initiatorCookie
        : undefined;
    const prefix = Buffer.from(ic ?? [])
      .toString('hex')
      .slice(0, 6);
    const pass = decodeCapture(items(name), { cookie: prefix });
    const records = (await all(pass)).filter((r) => r.kind === 'datagram');
    expect(records.some((r) => r.kind === 'datagram' && r.read !== undefined)).toBe(true);
    const none = decodeCapture(items(name), { cookie: prefix === 'ffffff' ? 'eeeeee' : 'ffffff' });
    await all(none);
    expect(none.summary.filtered).toBe(none.summary.datagrams);
  });
});
