/**
 * Differential test over every capture in corpus/: the pcap reader's IKE datagrams must decode, re-encode byte for
 * byte, and agree with tshark's committed golden for the same frame (payload sequence and main fields), including
 * the messages tshark reassembles from IKEv1 fragment payloads.
 */
import { type CaptureCase, listCaptures, readCorpusBytes, readCorpusText } from '@oaklog/corpus';
import { describe, expect, it } from 'vitest';
import { checkCapture, type GoldenFrame } from './corpus-check';

const captures = listCaptures();

describe('corpus captures against tshark', () => {
  if (captures.length === 0) it.skip('corpus/manifest.json lists no captures yet', () => {});

  it.each(captures.map((c) => [c.name, c] as [string, CaptureCase]))('%s', async (_name, c) => {
    const golden = c.tsharkGolden ? (JSON.parse(readCorpusText(c.tsharkGolden)) as GoldenFrame[]) : undefined;
    const result = await checkCapture(readCorpusBytes(c.path), golden);
    expect(result.datagrams).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });
});
