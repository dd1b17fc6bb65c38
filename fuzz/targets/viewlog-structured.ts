import { ByteSource } from '../lib/bytes';
import { buildLog } from '../lib/viewlog-builder';
import { checkLog } from '../lib/viewlog-contract';

/**
 * Structure-aware: the input chooses a plausible log of any dialect from the OAK vocabulary (payload lists,
 * notifies, cookies, client IDs, SPIs, Log Viewer records, gateway groups), lightly damaged, which must meet the
 * View Log contract (lib/viewlog-contract.ts).
 */
export function fuzz(data: Uint8Array): void {
  checkLog(buildLog(new ByteSource(data)));
}
