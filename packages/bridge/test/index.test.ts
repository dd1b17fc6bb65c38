import { expect, it } from 'vitest';
import { SA_WORD } from '../src/index';

it('names the SA payload', () => {
  expect(SA_WORD).toBe('SA');
});
