import { fstatSync, writeSync } from "node:fs";

/** Where bin.cjs prints `--version` and `--help`: what `printRootHelp` needs of stdout. */
export interface EntryStdout {
  isTTY?: boolean;
  columns?: number;
  write(text: string): void;
}

/** `codetether --help | head` closes the pipe early: that is not an error. */
function ignoreEpipe(err: NodeJS.ErrnoException): void {
  if (err.code !== "EPIPE") throw err;
}

/**
 * stdout for the entry point. Reading `process.stdout` builds a stream (for a pipe, a socket with the `net` module
 * behind it), which was most of what `codetether --version` cost over bare `node -e 0` (issue 25). Output that is
 * not a terminal is written straight to fd 1; a terminal (or another character device) gets `process.stdout`,
 * which knows the terminal's width. A pipe that cannot take more right now (EAGAIN) gets the rest through
 * `process.stdout` as well.
 */
export function entryStdout(): EntryStdout {
  let terminal: boolean;
  try {
    terminal = fstatSync(1).isCharacterDevice();
  } catch {
    terminal = true; // fd 1 is closed: process.stdout knows how to write nowhere
  }
  if (terminal) {
    const stdout = process.stdout;
    stdout.on("error", ignoreEpipe);
    return { isTTY: stdout.isTTY, columns: stdout.columns, write: (text) => void stdout.write(text) };
  }
  return {
    isTTY: false,
    write(text) {
      let rest = Buffer.from(text);
      try {
        while (rest.length > 0) rest = rest.subarray(writeSync(1, rest));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") {
          process.stdout.on("error", ignoreEpipe);
          process.stdout.write(rest);
        } else if (code !== "EPIPE") throw err;
      }
    },
  };
}
