import type { Options } from 'tsup';

/**
 * The build every publishable library shares: ESM + CJS + .d.ts, platform-neutral so nothing Node-only slips into
 * the browser-safe entry. Packages pass their entries and anything they need on top.
 */
export function libraryConfig(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    ...overrides,
  };
}
