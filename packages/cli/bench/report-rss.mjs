// Preloaded into each command the soak benchmark runs: writes the process's peak resident set (kilobytes, as
// getrusage reports it) to file descriptor 3 when it exits, so the harness measures the command, not itself.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, String(process.resourceUsage().maxRSS));
  } catch {
    // fd 3 is not open: run outside the harness.
  }
});
