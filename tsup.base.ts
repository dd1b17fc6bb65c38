import type { Options } from 'tsup';

/**
 * `@oaklog/common` is private, never published: every library inlines it, its code into the JavaScript and its types
 * into the .d.ts, so what ships names no package a user cannot install (and isakmp, pcap and viewlog keep zero
 * runtime dependencies).
 */
const COMMON = '@oaklog/common';
/**
 * The .d.ts bundler inlines only modules outside node_modules, and through the workspace link `@oaklog/common` is
 * inside it: this path sends the type build to its sources instead (relative to the package being built, which is
 * where tsup runs).
 */
const COMMON_SOURCES = { [COMMON]: ['../common/src/index.ts'] };

/**
 * The build every publishable library shares: ESM + CJS + .d.ts, platform-neutral so nothing Node-only slips into
 * the browser-safe entry. Packages pass their entries and anything they need on top.
 */
export function libraryConfig(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { paths: COMMON_SOURCES } },
    noExternal: [COMMON],
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    ...overrides,
  };
}
