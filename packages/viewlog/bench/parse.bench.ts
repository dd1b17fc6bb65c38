/**
 * parse() against the floor every line reader pays: splitting the same text into lines. vitest prints the ratio of the
 * two in its summary ("split … x faster than parse"), so one run gives the cost of the grammar per byte.
 */
import { bench, describe } from 'vitest';
import { format, parse, splitLines } from '../src/index';

const scenario = [
  '01:38:02.570 Balt Corporate Access - Initiating IKE Phase 1 (IP ADDR=198.51.100.7)',
  '01:38:02.571 Balt Corporate Access - SENDING>>>> ISAKMP OAK MM (SA)',
  '01:38:02.610 Balt Corporate Access - RECEIVED<<<< ISAKMP OAK MM (SA)',
  '01:38:02.650 Balt Corporate Access - SENDING>>>> ISAKMP OAK MM (KE, NON, VID, VID)',
  '01:38:02.700 Balt Corporate Access - RECEIVED<<<< ISAKMP OAK MM (KE, NON)',
  '01:38:02.740 Balt Corporate Access - SENDING>>>> ISAKMP OAK MM *(ID, HASH, NOTIFY:STATUS_INITIAL_CONTACT)',
  '01:38:02.790 Balt Corporate Access - RECEIVED<<<< ISAKMP OAK MM *(ID, HASH)',
  '01:38:02.791 Balt Corporate Access - Established IKE SA',
  '   MY COOKIE 1f f5 e4 d 84 30 f9 5c',
  '   HIS COOKIE 4c af 1f 2c 20 16 d0 ec',
  '01:38:02.800 Balt Corporate Access - Initiating IKE Phase 2 with Client IDs (message id: 61965C8D)',
  '  Initiator = IP ADDR=192.0.2.10, prot = 0 port = 0',
  '  Responder = IP SUBNET/MASK=10.0.0.0/255.255.255.0, prot = 0 port = 0',
  '01:38:02.801 Balt Corporate Access - SENDING>>>> ISAKMP OAK QM *(HASH, SA, NON, ID, ID)',
  '01:38:02.850 Balt Corporate Access - RECEIVED<<<< ISAKMP OAK QM *(HASH, SA, NOTIFY:STATUS_RESP_LIFETIME, NON, ID, ID)',
  '01:38:02.851 Balt Corporate Access - SENDING>>>> ISAKMP OAK QM *(HASH)',
  '01:38:02.900 Balt Corporate Access - RECEIVED<<<< ISAKMP OAK QM *(HASH, NOTIFY:NOTIFY_CONNECTED)',
  '01:38:02.901 Balt Corporate Access - Loading IPsec SA (Message ID = 61965C8D) OUTBOUND SPI = 405 INBOUND SPI = 493B30CC)',
  'a note someone pasted into the ticket',
  '',
];
// About 1 MB of View Log.
const text = `${scenario.join('\r\n')}\r\n`.repeat(400);
const events = parse(text).events;

describe(`a ${Math.round(text.length / 1024)} KiB View Log`, () => {
  bench('split into lines (baseline)', () => {
    splitLines(text);
  });

  bench('parse', () => {
    parse(text);
  });
});

// Its own group, so the summary above compares parse with the split and nothing else.
describe('printing the parsed events back', () => {
  bench('split into lines (baseline)', () => {
    splitLines(text);
  });

  bench('format', () => {
    format(events);
  });
});
