import { defineConfig } from 'vitest/config';
import { sharedTestOptions } from '../../vitest.shared.ts';

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // The test files share no state; one module graph for all of them saves most of the suite's import time.
    isolate: false,
  },
});
