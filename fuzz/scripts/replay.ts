/**
 * Runs saved inputs through a target without any fuzzing engine and prints what each one breaks:
 *   pnpm --filter @oaklog/fuzz exec tsx scripts/replay.ts <target> <file>...
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [target, ...files] = process.argv.slice(2);
if (!target || files.length === 0) {
  console.error('usage: tsx scripts/replay.ts <target> <file>...');
  process.exit(2);
}
const { fuzz } = (await import(join(import.meta.dirname, '..', 'targets', `${target}.ts`))) as {
  fuzz: (data: Uint8Array) => void;
};
let failures = 0;
for (const file of files) {
  try {
    fuzz(new Uint8Array(readFileSync(file)));
    console.log(`ok    ${file}`);
  } catch (error) {
    failures++;
    console.log(`FAIL  ${file}`);
    console.log(error instanceof Error ? error.stack : error);
  }
}
process.exit(failures > 0 ? 1 : 0);
