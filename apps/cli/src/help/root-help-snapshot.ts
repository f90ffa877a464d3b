import type { Command } from "commander";

/**
 * `codetether --help`, rendered at build time by commander itself for every terminal width at which its text
 * differs, so the bin can print it without loading commander and the command tree (~20 ms of a ~60 ms start).
 * Only the root help is snapshotted; `codetether <command> --help` always goes through commander.
 */
export interface RootHelpSnapshot {
  /** The CLI version the snapshot was rendered for; a mismatch means a stale build and falls back to commander. */
  version: string;
  /** Distinct help texts. */
  texts: string[];
  /** `byWidth[w]` is the index in `texts` of the help rendered at width `w`. */
  byWidth: number[];
  /** Index in `texts` of the help at any width ≥ `byWidth.length` (nothing wraps there any more). */
  wide: number;
}

/** The text commander writes for `--help` at `width` (undefined: stdout is not a terminal). */
export function renderHelp(program: Command, width: number | undefined, hasColors = false): string {
  let out = "";
  program.configureOutput({
    writeOut: (s) => {
      out += s;
    },
    // Commander's own default returns undefined for a pipe (it then wraps at 80); its type says number.
    getOutHelpWidth: () => width as number,
    getOutHasColors: () => hasColors,
  });
  program.outputHelp();
  return out;
}

/** Renders the root help at every width where it can differ; `build` must return a fresh program each call. */
export function buildRootHelpSnapshot(build: () => Command, version: string): RootHelpSnapshot {
  const texts: string[] = [];
  const indexOf = (text: string): number => {
    const found = texts.indexOf(text);
    if (found >= 0) return found;
    texts.push(text);
    return texts.length - 1;
  };
  const unbounded = renderHelp(build(), Number.MAX_SAFE_INTEGER);
  // Commander wraps only lines longer than the width, so from the longest unwrapped line on nothing changes.
  const stable = Math.max(...unbounded.split("\n").map((line) => line.length)) + 1;
  const byWidth: number[] = [];
  for (let width = 0; width < stable; width++) byWidth.push(indexOf(renderHelp(build(), width)));
  const snapshot = { version, texts, byWidth, wide: indexOf(unbounded) };
  // Commander keeps styles only for a terminal with colours. The root help has none today; if that changes,
  // fail the build rather than print plain text where commander would colour it.
  if (renderHelp(build(), 80, true) !== renderHelp(build(), 80)) {
    throw new Error("root help has colour styles; the snapshot cannot serve colour terminals");
  }
  return snapshot;
}
