/**
 * `lazyList` is the fast path of a decryptor's IV candidates: the list computed only as far as it is tried. It must
 * read as the list computed whole would, whatever order its items are asked for in.
 */
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { lazyList } from '../src/ike-sa';

describe('lazyList', () => {
  test.prop([fc.array(fc.integer()), fc.array(fc.nat({ max: 40 }), { maxLength: 20 })], { numRuns: 200 })(
    'reads as the whole list, and computes no more of it than was asked for',
    (items, reads) => {
      let pulled = 0;
      function* source() {
        for (const item of items) {
          pulled += 1;
          yield item;
        }
      }
      const list = lazyList(source());
      let furthest = -1;
      for (const i of reads) {
        expect(list.at(i)).toBe(items[i]);
        furthest = Math.max(furthest, i);
        expect(pulled).toBe(Math.min(items.length, furthest + 1));
      }
      expect(list.all()).toEqual(items);
      expect(pulled).toBe(items.length);
    },
  );
});
