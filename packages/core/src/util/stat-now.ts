import { type BigIntStats, statSync } from "node:fs";

/**
 * A synchronous stat with nanosecond times, undefined when the file is missing. The agent checks its session and
 * lock files before every save: a metadata lookup costs microseconds, less than a round trip to the thread pool
 * (issue 25).
 */
export function statNow(file: string): BigIntStats | undefined {
  return statSync(file, { bigint: true, throwIfNoEntry: false });
}
