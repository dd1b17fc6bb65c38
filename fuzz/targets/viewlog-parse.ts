import { checkLog, textOf } from '../lib/viewlog-contract';

/**
 * Raw bytes as a View Log (UTF-8; seeded with every corpus log): parse never throws, prints back byte-exact, its
 * diagnostics carry valid positions, and canonical printing reaches a fixed point (lib/viewlog-contract.ts).
 */
export function fuzz(data: Uint8Array): void {
  checkLog(textOf(data));
}
