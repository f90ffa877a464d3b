import type { RootHelpSnapshot } from "./root-help-snapshot.js";

/** Where the build writes the snapshot: next to bin.js. */
const SNAPSHOT_URL = new URL("./root-help.json", import.meta.url);

interface HelpStdout {
  isTTY?: boolean;
  columns?: number;
}

/** The snapshot text commander would print on `stdout`, mirroring its width rule (`columns` on a TTY, else 80). */
export function pickRootHelp(snapshot: RootHelpSnapshot, stdout: HelpStdout): string | undefined {
  const width = (stdout.isTTY ? stdout.columns : undefined) ?? 80;
  return snapshot.texts[width < snapshot.byWidth.length ? (snapshot.byWidth[width] ?? -1) : snapshot.wide];
}

/**
 * Prints `codetether --help` from the build-time snapshot. Returns false (the caller then runs commander) when the
 * snapshot is missing, unreadable or from another version, e.g. when running from sources.
 */
export async function printRootHelp(
  stdout: HelpStdout & NodeJS.WritableStream,
  version: string,
  snapshotUrl: URL = SNAPSHOT_URL,
): Promise<boolean> {
  let snapshot: RootHelpSnapshot;
  try {
    const { readFileSync } = await import("node:fs");
    snapshot = JSON.parse(readFileSync(snapshotUrl, "utf8")) as RootHelpSnapshot;
  } catch {
    return false;
  }
  if (snapshot.version !== version || !Array.isArray(snapshot.texts)) return false;
  const text = pickRootHelp(snapshot, stdout);
  if (text === undefined) return false;
  // `codetether --help | head` closes the pipe early: that is not an error.
  stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
  stdout.write(text);
  return true;
}
