import { expect, it } from 'vitest';
import { PCAP_MAGIC_MICROSECONDS } from '../src/index';

it('knows the pcap magic', () => {
  expect(PCAP_MAGIC_MICROSECONDS.toString(16)).toBe('a1b2c3d4');
});
