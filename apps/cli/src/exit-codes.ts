/** Process exit codes, documented in the README. */
export const ExitCode = {
  Success: 0,
  /** The agent or a provider failed (bad key, provider down, turn error). */
  Failure: 1,
  /** Bad command line or invalid configuration. */
  Usage: 2,
  /** Interrupted with Ctrl+C (128 + SIGINT). */
  Interrupted: 130,
} as const;

/** An error whose message is shown as-is (no stack) with a given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.Failure,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * A `RuntimeError` of @codetether/runtime (config mistakes exit 2, failures 1): shown like a {@link CliError}.
 * Checked by name so `main` loads nothing of the runtime.
 */
export function isRuntimeError(err: unknown): err is Error & { exitCode: number } {
  return (
    err instanceof Error &&
    err.name === "RuntimeError" &&
    typeof (err as { exitCode?: unknown }).exitCode === "number"
  );
}
