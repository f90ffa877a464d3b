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
  // Uncaught errors outside main()'s try (timers, streams): print, write an opt-in crash report, exit 1. An error
  // while doing that (a crash-hook that cannot load) must not call the handler again: it ends the process.
  let crashing = false;
  const onCrash = async (err: unknown) => {
    if (crashing) {
      process.stderr.write(
        `codetether: could not write a crash report: ${(err as Error)?.message ?? String(err)}\n`,
      );
      process.exit(1);
    }
    crashing = true;
    process.stderr.write(`codetether: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    const { reportCrash } = require("./crash-hook.cjs") as typeof import("./crash-hook.js");
    await reportCrash(err, { version, argv });
    process.exit(1);
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
  const main = loadMain();
  if (!main) return;
  process.exitCode = await main(argv, version);
}

/** dist/main.cjs, or undefined (and exit code 1) when the installation lost it or a chunk it requires. */
function loadMain(): typeof import("./main.js").main | undefined {
  try {
    return (require(path.join(__dirname, "main.cjs")) as typeof import("./main.js")).main;
  } catch (err) {
    const missing = missingDistFile(err as NodeJS.ErrnoException & { requireStack?: string[] });
    if (!missing) throw err;
    process.stderr.write(
      `codetether: this installation is incomplete: cannot load ${missing}; reinstall codetether (npm i -g codetether)\n`,
    );
    process.exitCode = 1;
    return undefined;
  }
}

/** The file of dist/ that a MODULE_NOT_FOUND error is about, if it is one of ours. */
function missingDistFile(err: NodeJS.ErrnoException & { requireStack?: string[] }): string | undefined {
  const request =
    err.code === "MODULE_NOT_FOUND" ? /Cannot find module '([^']+)'/.exec(err.message)?.[1] : undefined;
  const from = err.requireStack?.[0];
  if (!request || !from || path.dirname(from) !== __dirname) return undefined;
  const file = path.resolve(__dirname, request);
  return path.dirname(file) === __dirname ? file : undefined;
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
