/** Exit codes a runtime error maps to (the CLI's README: 1 agent/provider failure, 2 usage or configuration). */
export type RuntimeErrorKind = "usage" | "failure";

/**
 * An error whose message is meant for the user as-is (what, where, what to do). `exitCode` is what a command line
 * front end should exit with: 2 for configuration mistakes, 1 for failures at run time.
 */
export class RuntimeError extends Error {
  readonly exitCode: 1 | 2;

  constructor(
    message: string,
    readonly kind: RuntimeErrorKind = "failure",
  ) {
    super(message);
    this.name = "RuntimeError";
    this.exitCode = kind === "usage" ? 2 : 1;
  }
}

/** True for a {@link RuntimeError}, also one from another copy of this package (bundles, tests). */
export function isRuntimeError(err: unknown): err is RuntimeError {
  return (
    err instanceof Error && err.name === "RuntimeError" && typeof (err as RuntimeError).exitCode === "number"
  );
}
