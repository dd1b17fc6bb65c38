/**
 * oaklog's own words in the payload list and the exchange slot: `PAYLOAD_<n>` / `EXCHANGE_<n>` for numbers no client
 * named, and `UNREADABLE` for a message decoded only in part. The bridge prints them; the grammar must read them back
 * as typed items, with no warning, and explain them.
 */
import { describe, expect, it } from 'vitest';
import {
  canonicalLines,
  exchangeNumber,
  exchangeWord,
  explain,
  type IkeMessageEvent,
  parse,
  payloadNumber,
  payloadWord,
  UNREADABLE,
  UNREADABLE_ITEM,
} from '../src/index';
import { strip } from './arbitraries';

function ike(line: string): { event: IkeMessageEvent; codes: string[] } {
  const r = parse(line, { dialect: 'safenet' });
  expect(r.events).toHaveLength(1);
  return { event: strip(r.events)[0] as IkeMessageEvent, codes: r.diagnostics.map((d) => d.code) };
}

describe('numbered words', () => {
  it('give the client word where one exists, else the number', () => {
    expect(payloadWord(10)).toBe('NON');
    expect(payloadWord(15)).toBe('PAYLOAD_15');
    expect(exchangeWord(32)).toBe('QM');
    expect(exchangeWord(77)).toBe('EXCHANGE_77');
    for (let n = 0; n <= 255; n++) {
      expect(payloadNumber(payloadWord(n))).toBe(n);
      expect(exchangeNumber(exchangeWord(n))).toBe(n);
    }
  });

  it('read back as their numbers without a warning', () => {
    const { event, codes } = ike('12:00:00.000 peer - RECEIVED<<<< ISAKMP OAK EXCHANGE_77 (SA, PAYLOAD_15, PAYLOAD_0)');
    expect(codes).toEqual([]);
    expect(event.exchange).toBe('EXCHANGE_77');
    expect(event.items).toEqual([{ payload: 'SA' }, { payload: 'PAYLOAD_15' }, { payload: 'PAYLOAD_0' }]);
    expect(event.items.map((i) => payloadNumber(i.payload))).toEqual([1, 15, 0]);
  });

  it.each([
    ['PAYLOAD_256', 'out of the one-byte range'],
    ['PAYLOAD_015', 'a leading zero (not the word oaklog prints)'],
    ['PAYLOAD_', 'no number'],
    ['PAYLOAD_1x', 'not a number'],
  ])('%s is not one (%s): an unknown payload word, warned', (word) => {
    expect(ike(`peer - SENDING>>>> ISAKMP OAK MM (${word})`).codes).toEqual(['UNKNOWN_PAYLOAD']);
  });

  it('EXCHANGE_300 is not one: an unknown exchange, warned', () => {
    expect(ike('peer - SENDING>>>> ISAKMP OAK EXCHANGE_300 (SA)').codes).toEqual(['UNKNOWN_EXCHANGE']);
  });

  it('are explained as numbers the clients had no word for', () => {
    const { event } = ike('peer - RECEIVED<<<< ISAKMP OAK EXCHANGE_77 (PAYLOAD_15)');
    const words = explain(event) ?? '';
    expect(words).toContain('exchange-type-77');
    expect(words).toContain('type 15');
  });
});

describe('the UNREADABLE mark', () => {
  it('reads as a typed item after the payloads that decoded, without a warning', () => {
    const { event, codes } = ike('10:00:00.001 192.0.2.2 - RECEIVED<<<< ISAKMP OAK MM (SA, VID, UNREADABLE)');
    expect(codes).toEqual([]);
    expect(event.items).toEqual([{ payload: 'SA' }, { payload: 'VID' }, UNREADABLE_ITEM]);
    expect(event.items[2]?.unreadable).toBe(true);
    expect(UNREADABLE_ITEM.payload).toBe(UNREADABLE);
  });

  it('prints back exactly, and the event it prints from reads back equal', () => {
    const line = '10:00:00.001 192.0.2.2 - SENDING>>>> ISAKMP OAK QM *(HASH, UNREADABLE)';
    const { event } = ike(line);
    expect(canonicalLines(event)).toEqual([line]);
    expect(ike(canonicalLines(event)[0] ?? '').event).toEqual(event);
  });

  it('is only the mark as spelled: another spelling is an unknown word, warned', () => {
    expect(ike('peer - SENDING>>>> ISAKMP OAK MM (SA, Unreadable)').codes).toEqual(['UNKNOWN_PAYLOAD']);
  });

  it('is explained as the part of the message that could not be decoded', () => {
    expect(explain(ike('peer - RECEIVED<<<< ISAKMP OAK MM (SA, UNREADABLE)').event)).toContain('could not decode');
  });
});
