import { defineConfig } from 'vitest/config';

// The test files share no module state, so one module graph for all of them halves the run on a loaded machine; the
// longer timeout is for property tests and live tshark runs there.
export default defineConfig({ test: { isolate: false, testTimeout: 30_000 } });
