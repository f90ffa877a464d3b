#!/usr/bin/env node
// Entry point. Built as CommonJS (dist/bin.cjs): Node starts a CommonJS main without its ES module loader, which
// keeps `--version` within a few ms of bare `node -e 0`. `--version` imports nothing, `--help` prints the help the
// build pre-rendered without commander, and every other command requires the bundle (dist/main.cjs and its
// chunks, CommonJS so that their compiled code can be cached across runs: see src/compile-cache/).
import path from "node:path";
import { entryStdout } from "./help/entry-stdout.js";
import { printRootHelp } from "./help/root-help.js";

declare const __CODETETHER_VERSION__: string;

const version = typeof __CODETETHER_VERSION__ === "string" ? __CODETETHER_VERSION__ : "0.0.0-dev";
const argv = process.argv.slice(2);

const only = argv.length === 1 ? argv[0] : undefined;

async function start(): Promise<void> {
  // Imported here, not at the top, so that `--version` and `--help` load none of its built-ins.
  const { prepareChunkLoading } = await import("./compile-cache/compile-cache.js");
  prepareChunkLoading(__dirname, process.env);
  // Uncaught errors outside main()'s try (timers, streams): print, write an opt-in crash report, exit 1.
  const onCrash = async (err: unknown) => {
    process.stderr.write(`codetether: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    const { reportCrash } = require("./crash-hook.cjs") as typeof import("./crash-hook.js");
    await reportCrash(err, { version, argv });
    process.exit(1);
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
  const { main } = require("./main.cjs") as typeof import("./main.js");
  process.exitCode = await main(argv, version);
}

if (only === "--version" || only === "-V" || only === "-v") {
  entryStdout().write(`${version}\n`);
} else if (
  (only === "--help" || only === "-h") &&
  printRootHelp(entryStdout(), version, path.join(__dirname, "root-help.json"))
) {
  // Printed. (`codetether --help | head` closing the pipe early is handled in entryStdout.)
} else {
  void start();
}
