import { readFileSync } from "node:fs";
import type { EntryStdout } from "./entry-stdout.js";
import type { RootHelpSnapshot } from "./root-help-snapshot.js";

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
 * Prints `codetether --help` from the build-time snapshot (`dist/root-help.json`, next to bin.cjs). Returns false
 * (the caller then runs commander) when the snapshot is missing, unreadable or from another version, e.g. when
 * running from sources.
 */
export function printRootHelp(stdout: EntryStdout, version: string, snapshotFile: string | URL): boolean {
  let snapshot: RootHelpSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(snapshotFile, "utf8")) as RootHelpSnapshot;
  } catch {
    return false;
  }
  if (snapshot.version !== version || !Array.isArray(snapshot.texts)) return false;
  const text = pickRootHelp(snapshot, stdout);
  if (text === undefined) return false;
  stdout.write(text);
  return true;
}
