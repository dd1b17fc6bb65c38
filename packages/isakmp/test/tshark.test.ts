import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode, type SaPayload } from '../src/index';
import { compareWithTshark, type Tree } from './tshark-compare';
import { hasTshark, tsharkLayers } from './vectors/tshark.mjs';
import { vectors, x } from './vectors/vectors.mjs';

const goldens = JSON.parse(readFileSync(new URL('./vectors/tshark.json.golden', import.meta.url), 'utf8')) as {
  vectors: Record<string, Tree | null>;
};

describe('committed tshark goldens', () => {
  it('cover every vector', () => {
    expect(Object.keys(goldens.vectors).sort()).toEqual(vectors.map((v) => v.name).sort());
  });

  const skipped: string[] = [];

  it.each(vectors)('$name: agrees with tshark', ({ name, hex }) => {
    const layer = goldens.vectors[name];
    expect(layer, 'tshark decoded no isakmp layer').toBeTruthy();
    const skips: string[] = [];
    expect(compareWithTshark(decode(x(hex)), layer!, skips)).toEqual([]);
    skipped.push(...skips.map((s) => `${name}: ${s}`));
  });

  it('skips only the few fields tshark cannot show comparably, each for a stated reason', () => {
    expect(skipped.length).toBeLessThanOrEqual(12);
    expect(skipped).toMatchSnapshot();
  });

  it('the comparison notices disagreements deep in the tree', () => {
    const [first] = vectors;
    const m = decode(x(first!.hex));
    m.header.messageId = 99;
    const sa = m.payloads[0] as SaPayload;
    sa.proposals[0]!.transforms[1]!.attributes[0] = { type: 1, value: 6 };
    sa.proposals[0]!.transforms[0]!.attributes.pop();
    expect(compareWithTshark(m, goldens.vectors[first!.name]!)).toEqual([
      'header.messageId: ours 99, tshark 0x00000000',
      'payloads[0].length: ours 84, tshark 92',
      'payloads[0].proposals[0].transforms[0].attributes: ours 6 items, tshark 7',
      'payloads[0].proposals[0].transforms[1].attributes[0].value: ours 00:06, tshark 00:05',
    ]);
  });
});

describe.skipIf(!hasTshark())('live tshark (on PATH)', () => {
  it('agrees with our decoding of every vector', () => {
    const layers = tsharkLayers(vectors.map((v) => x(v.hex)));
    const diffs = vectors.flatMap((v, i) =>
      compareWithTshark(decode(x(v.hex)), layers[i] as Tree).map((line) => `${v.name}: ${line}`),
    );
    expect(diffs).toEqual([]);
  }, 60_000);
});
