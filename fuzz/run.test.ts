import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';

const targetsDir = join(import.meta.dirname, 'targets');
const targetFiles = readdirSync(targetsDir).filter((file) => file.endsWith('.ts'));

describe.each(targetFiles)('fuzz target %s', (file) => {
  it('holds its contract on arbitrary bytes', async () => {
    const { fuzz } = (await import(join(targetsDir, file))) as { fuzz: (data: Uint8Array) => void };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (data) => fuzz(data)),
      { numRuns: 2000 },
    );
  });
});
