import { defineConfig } from 'vitest/config';
import { sharedTestOptions } from '../../vitest.shared.ts';

// The test files share no module state, so one module graph for all of them halves the run on a loaded machine.
export default defineConfig({ test: { ...sharedTestOptions, isolate: false } });
