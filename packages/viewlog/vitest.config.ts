import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The test files share no state; one module graph for all of them saves most of the suite's import time.
    isolate: false,
  },
});
