import { expect, it } from 'vitest';
import { PayloadType } from '../src/index';

it('numbers payload types as RFC 2408 does', () => {
  expect(PayloadType.SA).toBe(1);
});
