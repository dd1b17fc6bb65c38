/** Realistic variants a review found read wrongly: each case failed before its fix. */
import { describe, expect, it } from 'vitest';
import { format, type LogEvent, parse, parseStream } from '../src/index';
import { strip } from './arbitraries';

function read(text: string, dialect?: 'safenet' | 'cisco-vpnclient' | 'gateway') {
  const r = parse(text, dialect === undefined ? {} : { dialect });
  expect(format(r.events)).toBe(text);
  return { ...r, plain: strip(r.events) as LogEvent[], codes: r.diagnostics.map((d) => d.code) };
}

const MM_SA = { kind: 'ike-message', exchange: 'MM', items: [{ payload: 'SA' }], connection: 'Pre-share' };

describe('line stamps: dates, brackets, AM/PM, comma milliseconds', () => {
  it.each<[string, object]>([
    [
      '12/03/2003 01:38:02.570 Pre-share - SENDING>>>> ISAKMP OAK MM (SA)',
      { date: '12/03/2003', time: '01:38:02.570' },
    ],
    [
      '2003-12-03 01:38:02.570 Pre-share - SENDING>>>> ISAKMP OAK MM (SA)',
      { date: '2003-12-03', time: '01:38:02.570' },
    ],
    ['[01:38:02.570] Pre-share - SENDING>>>> ISAKMP OAK MM (SA)', { time: '01:38:02.570', bracketed: true }],
    [
      '[12/03/2003 01:38:02] Pre-share - SENDING>>>> ISAKMP OAK MM (SA)',
      { date: '12/03/2003', time: '01:38:02', bracketed: true },
    ],
    ['1:38:02 PM Pre-share - SENDING>>>> ISAKMP OAK MM (SA)', { time: '1:38:02 PM' }],
    ['01:38:02,570 Pre-share - SENDING>>>> ISAKMP OAK MM (SA)', { time: '01:38:02,570' }],
  ])('%s', (line, stamp) => {
    const r = read(line);
    expect(r.plain).toEqual([expect.objectContaining({ ...MM_SA, ...stamp })]);
    expect(r.codes).toEqual([]);
  });

  it('reads the NetScreen-Remote month-day stamp', () => {
    const r = read('4-16: 13:43:54.550 My Connections\\VPN - Initiating IKE Phase 1 (IP ADDR=1.2.3.4)');
    expect(r.plain[0]).toMatchObject({
      kind: 'phase1-start',
      date: '4-16:',
      time: '13:43:54.550',
      connection: 'My Connections\\VPN',
      peer: '1.2.3.4',
    });
    expect(r.codes).toEqual([]);
  });

  it('never lets a connection name start with a date or time it could not read', () => {
    for (const line of [
      '12/03/2003 Pre-share - SENDING>>>> ISAKMP OAK MM (SA)',
      '[01:38:02 Pre-share - Key not found',
    ]) {
      const r = read(line);
      for (const e of r.plain) expect((e as { connection?: string }).connection ?? '').not.toMatch(/^\[?\d/);
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });
});

describe('gateway logs (SonicWALL, Openswan forum 2006)', () => {
  const sonic = [
    'RECEIVED<<< ISAKMP OAK AG (InitCookie 0xa1b340472acb64ac, MsgID: 0x0) (SA, KE, NON, ID, VID, VID, VID, VID, VID, VID) openswan.ip, 500 sonicwall.ip, 500',
    'IKE Responder: Received Aggressive Mode request (Phase 1) openswan.ip, 500 sonicwall.ip, 62465',
    'SENDING>>>> ISAKMP OAK AG (InitCookie 0xa1b340472acb64ac, MsgID: 0x0) (SA, KE, VID, NATD, NATD, NON, ID, VID, VID, HASH) sonicwall.ip, 500 openswan.ip, 500',
    'Header verification failed openswan.ip, 500 sonicwall.ip, 500',
    'IKE Responder: No response - remote party timeout sonicwall.ip, 500 openswan.ip, 500',
    'Received packet retransmission. Drop duplicate packet openswan.ip, 500 sonicwall.ip, 500',
    'IKE negotiation aborted due to timeout sonicwall.ip openswan.ip',
    '',
  ].join('\n');

  it('reads host names as endpoints and the gateway’s own messages by the knowledge table', () => {
    const r = read(sonic);
    expect(r.dialect).toBe('gateway');
    expect(r.codes).toEqual([]);
    expect(r.plain.map((e) => (e.kind === 'known-message' ? e.message : e.kind))).toEqual([
      'ike-message',
      'sonicwall.am-request',
      'ike-message',
      'sonicwall.header-failed',
      'sonicwall.no-response',
      'sonicwall.duplicate',
      'sonicwall.aborted',
    ]);
    expect(r.plain[1]).toMatchObject({
      values: { source: 'openswan.ip, 500', destination: 'sonicwall.ip, 62465' },
    });
    expect(r.plain[6]).toMatchObject({ values: { sourceHost: 'sonicwall.ip', destinationHost: 'openswan.ip' } });
    expect(r.plain[0]).toMatchObject({
      endpoints: [
        { address: 'openswan.ip', port: 500 },
        { address: 'sonicwall.ip', port: 500 },
      ],
    });
  });
});

describe('Log Viewer records after a long preamble', () => {
  it('opens a record at every head line, whatever the detected dialect', () => {
    const preamble = Array.from({ length: 70 }, (_, i) => `note ${i}`).join('\n');
    const body =
      '1  10:46:25.859  03/15/10  Sev=Info/4\tIKE/0x63000013\nSENDING >>> ISAKMP OAK MM (SA) to 1.2.3.4\nsomething the client says\n';
    const r = read(`${preamble}\n${body}`);
    expect(r.dialect).toBe('cisco-vpnclient');
    expect(r.plain.slice(70).map((e) => e.kind)).toEqual(['record', 'ike-message', 'message-text']);
    expect(r.diagnostics.every((d) => d.line <= 70)).toBe(true);
  });

  it('parseStream reads the late records the same way', async () => {
    const preamble = Array.from({ length: 70 }, (_, i) => `note ${i}\n`).join('');
    const text = `${preamble}1  10:46:25.859  03/15/10  Sev=Info/4\tIKE/0x63000013\nsomething the client says\n`;
    const streamed = [];
    for await (const e of parseStream([text])) streamed.push(e.event);
    expect(streamed).toEqual(parse(text).events);
    expect(streamed.slice(70).map((e) => e.kind)).toEqual(['record', 'message-text']);
  });
});

describe('legitimate lines', () => {
  it.each<[string, object]>([
    ['Pre-share - Hash verification failed', { kind: 'status', status: 'hash-verification-failed' }],
    ['Pre-share - Key not found', { kind: 'status', status: 'key-not-found' }],
    ['Pre-share - Aggressive mode', { kind: 'status', status: 'aggressive-mode' }],
    ['Pre-share - Established IPSEC SA', { kind: 'sa-established', phase: 2 }],
    [
      'Initiating IKE Phase 1 (IP ADDR=10.0.0.1) (Aggressive Mode)',
      { kind: 'phase1-start', peer: '10.0.0.1', mode: 'Aggressive Mode' },
    ],
    [
      'Loading IPSec SA (Message ID = 61965C8D OUTBOUND SPI = 405 INBOUND SPI = 493B30CC)',
      {
        kind: 'loading-ipsec-sa',
        style: 'balanced',
        messageId: 0x61965c8d,
        outboundSpi: 0x405,
        inboundSpi: 0x493b30cc,
      },
    ],
    ['Received NO_PROPOSAL_CHOSEN message.', { kind: 'received-notify', notify: 'NO_PROPOSAL_CHOSEN', period: true }],
    ['A - RECEIVED<<< ISAKMP OAK INFO *(HASH, DWR)', { items: [{ payload: 'HASH' }, { payload: 'DWR' }] }],
    [
      'A - RECEIVED<<< ISAKMP OAK MM (VID(Microsoft Windows 2000 (5.0)), VID)',
      { items: [{ payload: 'VID', vendor: 'Microsoft Windows 2000 (5.0)' }, { payload: 'VID' }] },
    ],
    [
      'A - RECEIVED<<< ISAKMP OAK INFO *(HASH, NOTIFY:36136)',
      { items: [{ payload: 'HASH' }, { payload: 'NOTIFY', notify: '36136' }] },
    ],
    [
      'sending>>>> isakmp oak mm (sa)',
      { kind: 'ike-message', direction: 'sent', exchange: 'MM', items: [{ payload: 'SA', spelling: 'sa' }] },
    ],
    [
      'Deleting IPsec SA test - SENDING>>>> ISAKMP OAK MM (SA)',
      { kind: 'ike-message', connection: 'Deleting IPsec SA test', items: [{ payload: 'SA' }] },
    ],
  ])('%s', (line, want) => {
    const r = read(line, 'safenet');
    expect(r.plain).toEqual([expect.objectContaining(want)]);
    expect(r.codes).toEqual([]);
  });

  it('reads a 0x message id (with a NOT_CANONICAL warning, no error)', () => {
    const r = read(
      'A - Initiating IKE Phase 2 with Client IDs (message id: 0x61965c8d)\n  Initiator = IP ADDR=10.0.0.1, prot = 0 port = 0\n  Responder = IP ADDR=10.0.0.2, prot = 0 port = 0\n',
    );
    expect(r.plain[0]).toMatchObject({ kind: 'phase2-start', messageId: 0x61965c8d });
    expect(r.codes).toEqual(['NOT_CANONICAL']);
  });

  it('keeps a blank line between Established IKE SA and its cookies inside the event', () => {
    const text =
      'A - Established IKE SA\n\n   MY COOKIE 1f f5 e4 d 84 30 f9 5c\n   HIS COOKIE 4c af 1f 2c 20 16 d0 ec\nA - Key not found\n';
    const r = read(text);
    expect(r.plain.map((e) => e.kind)).toEqual(['ike-sa-established', 'status']);
    expect(r.events[0]?.source).toMatchObject({ line: 1, endLine: 4 });
    expect(r.codes).toEqual(['SPACING']);
    // Without a continuation after it, the blank line stays a blank event.
    expect(read('A - Established IKE SA\n\nA - Key not found\n').plain.map((e) => e.kind)).toEqual([
      'ike-sa-established',
      'blank',
      'status',
    ]);
  });

  it('reads a cookie written as one hex string', () => {
    const r = read('A - Established IKE SA\n   MY COOKIE 1ff5e40d8430f95c\n   HIS COOKIE 4c af 1f 2c 20 16 d0 ec\n');
    expect(r.plain[0]).toMatchObject({ myCookie: Uint8Array.from([0x1f, 0xf5, 0xe4, 0x0d, 0x84, 0x30, 0xf9, 0x5c]) });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('lines wrapped at a fixed width', () => {
  it.each<[string, string[], object]>([
    [
      'inside a payload word',
      [
        '01:38:02.570 Balt Corporate Access - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NOTI',
        'FY:STATUS_RESP_LIFETIME, NON, ID, ID)',
      ],
      {
        kind: 'ike-message',
        items: [
          { payload: 'HASH' },
          { payload: 'SA' },
          { payload: 'NOTIFY', notify: 'STATUS_RESP_LIFETIME' },
          { payload: 'NON' },
          { payload: 'ID' },
          { payload: 'ID' },
        ],
      },
    ],
    [
      'a phase-2 line with inline client IDs',
      [
        'Pre-share - Initiating IKE Phase 2 with Client IDs (message id: 61965C8D) Initiator = IP ADDR=10.0.0.2, prot = 0',
        'port = 0 Responder = IP ADDR=10.0.0.3, prot = 0 port = 0',
      ],
      {
        kind: 'phase2-start',
        layout: 'inline',
        responder: { id: { type: 'address', address: '10.0.0.3' }, protocol: 0, port: 0 },
      },
    ],
    [
      'at a space',
      ['Pre-share - Loading IPsec SA (Message ID = 61965C8D) OUTBOUND SPI = 405 INBOUND', 'SPI = 493B30CC)'],
      { kind: 'loading-ipsec-sa', inboundSpi: 0x493b30cc },
    ],
  ])('joins a line cut %s with its continuation', (_name, lines, want) => {
    const text = `${lines.join('\r\n')}\r\nPre-share - Key not found\r\n`;
    const r = read(text);
    expect(r.plain.map((e) => e.kind)).toEqual([(want as { kind: string }).kind, 'status']);
    expect(r.plain[0]).toMatchObject(want);
    expect(r.events[0]?.source).toMatchObject({ line: 1, endLine: 2 });
    expect(r.events[0]?.source?.raw).toBe(`${lines.join('\r\n')}\r\n`);
    expect(r.codes).toEqual(['WRAPPED_LINE']);
    expect(r.diagnostics[0]).toMatchObject({ line: 1, column: (lines[0] as string).length + 1 });
  });

  it('leaves a clipped line alone when the next line reads on its own', () => {
    const r = read('A - SENDING>>>> ISAKMP OAK MM (SA, KE\nA - RECEIVED<<<< ISAKMP OAK MM (SA)\n');
    expect(r.plain.map((e) => e.kind)).toEqual(['ike-message', 'ike-message']);
    expect(r.codes).toEqual(['CLIPPED_LINE']);
  });
});

describe('AM/PM only when it is not the connection name', () => {
  it('reads "Am_a" and "PM" after a time as connection names', () => {
    expect(read('00:00:00.000 Am_a - SENDING>>>> ISAKMP OAK MM (SA)').plain[0]).toMatchObject({
      time: '00:00:00.000',
      connection: 'Am_a',
    });
    expect(read('00:00:00.000 PM - SENDING>>>> ISAKMP OAK MM (SA)').plain[0]).toMatchObject({
      time: '00:00:00.000',
      connection: 'PM',
    });
  });
});
