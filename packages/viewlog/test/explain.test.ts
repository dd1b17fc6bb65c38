import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { explain, explainNotify, formatCookie, type LogEvent, parse } from '../src/index';
import { logViewerEvents, safenetEvent } from './arbitraries';

const first = (line: string): LogEvent => parse(line, { dialect: 'safenet' }).events[0] as LogEvent;

describe('explain', () => {
  it.each<[string, RegExp[]]>([
    [
      'Pre-share - SENDING>>>> ISAKMP OAK MM (SA)',
      [/^Sent a main-mode/, /proposal list/, /NO_PROPOSAL_CHOSEN/, /\[Pre-share\]/],
    ],
    ['Pre-share - RECEIVED<<<< ISAKMP OAK MM (KE, NON, VID)', [/^Received/, /Diffie-Hellman/, /nonce/, /vendor ID/]],
    [
      'Pre-share - SENDING>>>> ISAKMP OAK MM *(ID, HASH, NOTIFY:STATUS_INITIAL_CONTACT)',
      [/encrypted/, /STATUS_INITIAL_CONTACT = 24578/, /authenticates/],
    ],
    [
      'Pre-share - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
      [/quick-mode proposal/, /no perfect forward secrecy/, /client IDs/],
    ],
    ['Pre-share - SENDING>>>> ISAKMP OAK QM *(HASH, SA, KE, NON, ID, ID)', [/KE present: perfect forward secrecy/]],
    ['Pre-share - SENDING>>>> ISAKMP OAK QM *(HASH)', [/final hash that completes quick mode/]],
    ['Pre-share - RECEIVED<<<< ISAKMP OAK QM *(HASH, NOTIFY:NOTIFY_CONNECTED)', [/connected/]],
    [
      'Demo - RECEIVED<<< ISAKMP OAK INFO *(HASH, NOTIFY:NO_PROPOSAL_CHOSEN)',
      [/NO_PROPOSAL_CHOSEN = 14/, /no proposal/],
    ],
    ['Demo - SENDING>>>> ISAKMP OAK MM (Retransmission)', [/resent/, /unreachable/]],
    ['Demo - Exceeded 3 IKE SA negotiation attempts', [/3 attempts/, /not responding/]],
    ['Exceeded retry attempts - deleting IPSec Security Association', [/Phase 2 gave up/]],
    ['Received NO_PROPOSAL_CHOSEN message', [/NO_PROPOSAL_CHOSEN = 14/]],
    [
      'X - Loading IPsec SA (Message ID = 61965C8D) OUTBOUND SPI = 405 INBOUND SPI = 493B30CC)',
      [/outbound SPI 405/, /inbound SPI 493B30CC/],
    ],
    [
      'X - Initiating IKE Phase 2 with Client IDs (message id: 1) Initiator = IP SUBNET/MASK=10.0.0.0/255.0.0.0, prot = 6 port = 80 Responder = IP ADDR=10.1.1.1, prot = 0 port = 0',
      [/network 10\.0\.0\.0\/255\.0\.0\.0, protocol 6, port 80/, /host 10\.1\.1\.1, any protocol, any port/],
    ],
    ['hello there', [/does not read/]],
  ])('%s', (line, patterns) => {
    const words = explain(first(line));
    for (const p of patterns) expect(words).toMatch(p);
  });

  it('explains notify names in both spellings and unknown ones', () => {
    expect(explainNotify('AUTHENTICATION-FAILED')).toMatch(/= 24: authentication failed/);
    expect(explainNotify('STATUS_RESP_LIFETIME')).toMatch(/= 24576/);
    expect(explainNotify('BOGUS')).toMatch(/not in the name table/);
  });

  it('calls errors only the notify numbers RFC 2408 makes errors (0 is reserved)', () => {
    expect(explainNotify('ERROR_8000')).toBe('notification ERROR_8000 = 8000: an error the peer reports');
    expect(explainNotify('RESERVED')).toBe('notification RESERVED = 0');
    expect(explainNotify('STATUS_30000')).toBe('notification STATUS_30000 = 30000');
  });

  it('writes "an aggressive-mode" and no double punctuation', () => {
    expect(explain(first('A - RECEIVED<<<< ISAKMP OAK AG (SA, KE, NON, ID, HASH)'))).toMatch(
      /^Received an aggressive-mode/,
    );
    expect(explain(first('A - SENDING>>>> ISAKMP OAK AG (Retransmission)'))).toMatch(
      /^Sent an aggressive-mode \(phase 1\) message again/,
    );
    const dpd = explain(first('A - RECEIVED<<<< ISAKMP OAK INFO *(HASH, NOTIFY:DPD_R_U_THERE)'));
    expect(dpd).toContain('are you there?');
    expect(dpd).not.toContain('?.');
    expect(explain(first('Received DPD_R_U_THERE message'))).not.toContain('?.');
  });

  test.prop([safenetEvent], { numRuns: 300 })('names the event’s connection, direction, exchange and payloads', (e) => {
    const words = explain(e);
    expect(words.length).toBeGreaterThan(10);
    if ('connection' in e && e.connection !== undefined) expect(words).toContain(`[${e.connection}]`);
    const who = 'connection' in e && e.connection !== undefined ? `[${e.connection}]` : '';
    // Our own words (not the log's names and vendor strings) use the right article and one stop.
    let own = words.replace(who, '');
    if (e.kind === 'ike-message') for (const i of e.items) if (i.vendor) own = own.replace(`(${i.vendor})`, '()');
    // Cookies print as unpadded hex bytes ("0 a a0"), which are data, not our words.
    if (e.kind === 'ike-sa-established')
      for (const cookie of [e.myCookie, e.hisCookie]) if (cookie) own = own.replace(formatCookie(cookie), '<cookie>');
    expect(own).not.toMatch(/\ba [aeio]|[?!.]\./);
    if (e.kind !== 'ike-message') return;
    expect(words.startsWith(e.direction === 'sent' ? 'Sent ' : 'Received ')).toBe(true);
    // The exchange in words (main-mode, quick-mode, …) or its abbreviation.
    const exchangeWords: Record<string, string> = {
      BASE: 'base-mode',
      MM: 'main-mode',
      AUTH: 'authentication-only',
      AG: 'aggressive-mode',
      INFO: 'informational',
      TRANS: 'transaction',
      QM: 'quick-mode',
      NGM: 'new-group-mode',
    };
    const numbered = /^EXCHANGE_(\d+)$/.exec(e.exchange);
    expect(words).toContain(
      exchangeWords[e.exchange] ?? (numbered ? `exchange-type-${numbered[1]}` : `${e.exchange}-exchange`),
    );
    if (e.retransmission) expect(words).toMatch(/Retransmission/);
    if (e.encrypted && !e.retransmission) expect(words).toMatch(/encrypted/);
    for (const item of e.items) {
      if (item.notify !== undefined) expect(words).toContain(item.notify);
      else if (item.vendor !== undefined) expect(words).toContain(`vendor ID (${item.vendor})`);
    }
  });

  test.prop([logViewerEvents], { numRuns: 100 })('has words for every Log Viewer event kind', (events) => {
    for (const e of events) expect(explain(e).length).toBeGreaterThan(10);
  });
});
