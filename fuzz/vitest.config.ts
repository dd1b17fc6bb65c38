import { defineConfig } from 'vitest/config';

// Each property runs thousands of inputs; on a loaded machine that takes longer than vitest's default 5 s.
export default defineConfig({ test: { include: ['*.test.ts'], testTimeout: 60_000 } });
