import fs from "node:fs";
import path from "node:path";
import { CliError } from "../exit-codes.js";

/** Wraps a lazily loaded command so its exit code becomes the process exit code. */
export type Act = <A extends unknown[]>(
  run: (...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseIntOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new CliError(`${name} must be a positive whole number, got "${value}".`, 2);
    return n;
  };
}

export function parsePortOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError(`--port must be a port number from 0 to 65535, got "${value}".`, 2);
  return n;
}

/** `--cwd <dir>`: an existing directory, resolved; a missing one is a usage error (never created). */
export function parseCwdOption(value: string): string {
  const dir = path.resolve(value);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new CliError(`--cwd ${dir}: no such directory. Pass an existing directory.`, 2);
  if (!stat.isDirectory()) throw new CliError(`--cwd ${dir} is not a directory.`, 2);
  return dir;
}

/**
 * `serve` and `worker` act for remote callers: they never apply a workspace's codetether.toml on the strength of a
 * stored `codetether trust` decision, only with `--trust-project` or `CODETETHER_TRUST_PROJECT=1`.
 */
export function untrustedWorkspaceEnv(
  env: Record<string, string | undefined>,
  trustProject: unknown,
): Record<string, string | undefined> {
  const explicit = trustProject === true || /^(1|true|yes|on)$/i.test(env.CODETETHER_TRUST_PROJECT ?? "");
  return { ...env, CODETETHER_TRUST_PROJECT: explicit ? "1" : "0" };
}

/** `--grpc-port`: a port number, 0 turning the gRPC binding off. */
export function parseGrpcPortOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError(
      `--grpc-port must be a port number from 0 to 65535 (0 disables gRPC), got "${value}".`,
      2,
    );
  return n;
}
