import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as lib from '../src/index';

it('the README example runs and prints what it says', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const body = code!.replace(/import \{([^}]*)\} from '@oaklog\/isakmp';/, 'const {$1} = lib;');
  const logged: unknown[][] = [];
  const console = { log: (...args: unknown[]) => logged.push(args) };
  new Function('lib', 'console', body)(lib, console);
  expect(logged.at(-1)).toEqual([true]);
  expect(logged[0]?.[0]).toEqual([
    { type: 1, value: 7 },
    { type: 14, value: 256 },
    { type: 2, value: 4 },
    { type: 3, value: 1 },
    { type: 4, value: 14 },
    { type: 11, value: 1 },
    { type: 12, data: Uint8Array.of(0, 1, 0x51, 0x80) },
  ]);
});
