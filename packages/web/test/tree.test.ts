import { corpusRoot, listCaptures, readCorpusBytes, readCorpusText } from '@oaklog/corpus';
import { decryptMessages, parseKeysJson } from '@oaklog/crypto';
import { readCaptureBytes } from '@oaklog/pcap';
import { describe, expect, it } from 'vitest';
import { describeDatagram, messageTree, type TreeNode } from '../src/tree';
import { oaklog } from './cli';

function ikeItems(path: string) {
  return [...readCaptureBytes(readCorpusBytes(path))].filter((i) => i.kind === 'ike');
}

function labels(node: TreeNode): string[] {
  return [
    `${node.label}${node.value === undefined ? '' : `: ${node.value}`}`,
    ...(node.children ?? []).flatMap(labels),
  ];
}

describe('the message tree', () => {
  it.each(listCaptures().map((c) => [c.name, c.path] as const))(
    'heads each datagram of %s with the line oaklog decode prints for it',
    (_name, path) => {
      const decoded = oaklog('decode', `${corpusRoot}/${path}`).stdout.filter((l) => /^#\d+ \S+:\d+ -> /.test(l));
      const ours = ikeItems(path).map(describeDatagram);
      expect(ours).toHaveLength(decoded.length);
      // `oaklog decode` reads through the pipeline, which shows the datagram that completes an IKE-fragmented message
      // as that message (`… (reassembled from IKE fragments)`); the page heads each fragment with the fragment itself
      // (its tree shows the message it completes). Every other datagram's line is the same.
      const whole = (line: string) => !line.includes('(reassembled from IKE fragments)');
      expect(ours.filter((_, i) => whole(decoded[i] ?? ''))).toEqual(decoded.filter(whole));
    },
  );

  it('shows the decrypted payloads of an encrypted message when keys are given, and says why not otherwise', () => {
    const c = listCaptures().find((x) => x.name === 'strongswan-mm-psk-3des-sha1-modp1024')!;
    const items = ikeItems(c.path);
    const keys = parseKeysJson(readCorpusText(c.keys!)).ikeSas;
    const outcomes = decryptMessages(
      items.map((d) => ({ bytes: d.bytes, sender: `${d.src}:${d.srcPort}` })),
      keys,
    );
    const fifth = items.findIndex((d) => (d.bytes[19]! & 1) === 1);
    const tree = labels(messageTree(items[fifth]!, outcomes[fifth], true));
    expect(tree[0]).toMatch(
      /^#5 192\.0\.2\.1:4500 -> 192\.0\.2\.2:4500 \(NAT-T\) IDENTITY_PROTECTION .* encrypted, first payload ID/,
    );
    expect(tree).toContain('Decrypted payloads: 3 payloads');
    expect(tree.some((l) => l.startsWith('ID: ID('))).toBe(true);
    expect(tree.some((l) => l.startsWith('Decryption: 3des-cbc, IV from phase1'))).toBe(true);
    const plain = labels(messageTree(items[fifth]!, decryptMessages([items[fifth]!.bytes], [])[0], false));
    expect(plain).toContain('Not decrypted: no key file given');
    expect(plain.some((l) => l.startsWith('Decrypted payloads'))).toBe(false);
  });

  it('opens an SA down to its transforms and attributes', () => {
    const c = listCaptures().find((x) => x.name === 'strongswan-mm-psk-3des-sha1-modp1024')!;
    const first = ikeItems(c.path)[0]!;
    const tree = labels(messageTree(first, decryptMessages([first.bytes], [])[0], false));
    expect(tree).toContain('Exchange type: IDENTITY_PROTECTION (2)');
    expect(tree.some((l) => /^Transform #\d+: KEY_IKE \(1\)$/.test(l))).toBe(true);
    expect(tree.some((l) => /^ENCRYPTION_ALGORITHM \(1\): 3DES_CBC \(5\)$/.test(l))).toBe(true);
  });

  it('shows the message an IKE fragment completes', () => {
    const c = listCaptures().find((x) => x.name === 'strongswan-cert-ike-fragmentation')!;
    const items = ikeItems(c.path);
    const keys = parseKeysJson(readCorpusText(c.keys!)).ikeSas;
    const outcomes = decryptMessages(
      items.map((d) => ({ bytes: d.bytes, sender: `${d.src}:${d.srcPort}` })),
      keys,
    );
    const i = outcomes.findIndex((o) => o.kind === 'fragment' && o.reassembled !== undefined);
    expect(i).toBeGreaterThan(0);
    const tree = labels(messageTree(items[i]!, outcomes[i], true));
    expect(tree.some((l) => l.startsWith('Reassembled message: IDENTITY_PROTECTION'))).toBe(true);
    expect(tree.some((l) => l.startsWith('CERT:'))).toBe(true);
  });
});
