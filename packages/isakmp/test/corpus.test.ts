/**
 * Differential test over every capture in corpus/: the pcap reader's IKE datagrams must decode (IKEv1 or IKEv2, as the
 * header's version says), re-encode byte for byte, and agree with tshark's committed golden for the same frame
 * (payload sequence and main fields), including the messages tshark reassembles from IKEv1 fragment payloads. A
 * datagram nobody can read whole (cut by the snapshot length, or malformed to tshark too) must still re-encode from
 * its partial decode; the published captures have such fuzzed files.
 */
import { type CaptureCase, listCaptures, readCorpusBytes, readCorpusText } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { checkCapture, type GoldenFrame } from './corpus-check';

const captures = listCaptures();

/**
 * Published captures where tshark and we disagree and we are right, or stricter on purpose; the exact disagreements are
 * asserted, so a new one still fails. (Product bugs would be listed apart; the codec showed none on these captures.)
 */
const TSHARK_DIFFERS: Readonly<Record<string, { readonly problems: readonly string[]; readonly why: string }>> = {
  'tcpdump-isakmp-sa-setup': {
    problems: [
      'frame 3: payloads: ours 8 items, tshark 7',
      'frame 3: types: ours 4,10,13,13,13,13,15,15, tshark 4,10,13,13,13,13,15',
      'frame 4: payloads: ours 8 items, tshark 7',
      'frame 4: types: ours 4,10,13,13,13,13,15,15, tshark 4,10,13,13,13,13,15',
    ],
    why:
      'MM3/MM4 end with two 24-byte payloads of type 15 (SA KEK in the registry; in size and place they look like ' +
      'the NAT-D hashes, the peers announce NAT-T drafts 02/03/07); tshark 4.0 dissects them as GDOI SA KEK, throws ' +
      'on the second and marks the frame malformed; the chain ends exactly at the header length, so both are there',
  },
  'tcpdump-isakmp-no-none-np': {
    problems: ['frame 1: BAD_LENGTH at byte 84: notification payload header needs 4 bytes, 0 left'],
    why:
      'the last payload names a notification after it but the message ends there (what the file is about); tshark ' +
      'stops without a word, we report it (the partial decode keeps every byte)',
  },
  'ndpi-ipsec-isakmp-esp': {
    problems: ['frame 192: BAD_LENGTH at byte 812: payload 35 header needs 4 bytes, 0 left'],
    why:
      'an IKE_AUTH whose only payload has the unassigned type 127 and names IDi (35) after it, with nothing left; ' +
      'tshark shows the payload and stops, we report the missing IDi',
  },
};

describe('corpus captures against tshark', () => {
  if (captures.length === 0) it.skip('corpus/manifest.json lists no captures yet', () => {});

  it.each(captures.map((c) => [c.name, c] as [string, CaptureCase]))('%s', async (name, c) => {
    const golden = c.tsharkGolden ? (JSON.parse(readCorpusText(c.tsharkGolden)) as GoldenFrame[]) : undefined;
    const result = await checkCapture(readCorpusBytes(c.path), golden);
    if (c.provenance?.kind !== 'published') {
      // Our own captures: every datagram an IKEv1 message that decodes whole.
      expect(result.datagrams).toBeGreaterThan(0);
      expect(result.unreadable).toEqual([]);
      expect(result.ikev2).toBe(0);
    }
    expect(result.problems).toEqual(TSHARK_DIFFERS[name]?.problems ?? []);
  });
});
