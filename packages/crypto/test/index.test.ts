import { expect, it } from 'vitest';
import { blockSizeOfAlgorithm } from '../src/index';

it('knows AES-CBC has 16-byte blocks', () => {
  expect(blockSizeOfAlgorithm[7]).toBe(16);
});
