/**
 * Test settings every package's vitest config spreads in. The suite runs under turbo with every package in parallel on
 * a 2-core machine: a property test that takes 0.6 s alone took over 5 s (vitest's default) there, so the limits are
 * sized for that load, not for one package run alone. They stop a hang; they are not performance claims.
 */
export const sharedTestOptions = {
  /** Per test: the largest property test takes about 2 s alone; thirty times that under full load. */
  testTimeout: 60_000,
  /** Per hook: corpus loading and live tshark runs happen in beforeAll. */
  hookTimeout: 120_000,
} as const;
