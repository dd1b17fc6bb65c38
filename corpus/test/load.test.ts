import { expect, it } from 'vitest';
import { readCorpusText } from '../src/load';

it('reads its own package.json through the loader', () => {
  expect(JSON.parse(readCorpusText('package.json')).name).toBe('@oaklog/corpus');
});
