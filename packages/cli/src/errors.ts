/** A command line the user must correct (bad option value, unusable input): printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes, as the README documents them. */
export const ExitCode = {
  /** Everything read cleanly. */
  OK: 0,
  /** The command ran, but the input had problems (malformed frames, log errors, messages left encrypted). */
  INPUT_PROBLEMS: 1,
  /** The command could not run: bad arguments, missing or unreadable file, not a capture. */
  CANNOT_RUN: 2,
} as const;
