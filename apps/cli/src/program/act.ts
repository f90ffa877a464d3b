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
