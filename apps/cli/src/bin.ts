#!/usr/bin/env node
// Entry point. Keeps `--version` free of any import, and `--help` free of commander (it prints the help the build
// pre-rendered), so start-up stays close to bare `node`.
import { printRootHelp } from "./help/root-help.js";

declare const __CODETETHER_VERSION__: string;

const version = typeof __CODETETHER_VERSION__ === "string" ? __CODETETHER_VERSION__ : "0.0.0-dev";
const argv = process.argv.slice(2);

const only = argv.length === 1 ? argv[0] : undefined;

if (only === "--version" || only === "-V" || only === "-v") {
  process.stdout.write(`${version}\n`);
} else if ((only === "--help" || only === "-h") && (await printRootHelp(process.stdout, version))) {
  // Printed. (`codetether --help | head` closing the pipe early is handled in printRootHelp.)
} else {
  // Uncaught errors outside main()'s try (timers, streams): print, write an opt-in crash report, exit 1.
  const onCrash = async (err: unknown) => {
    process.stderr.write(`codetether: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    const { reportCrash } = await import("./crash-hook.js");
    await reportCrash(err, { version, argv });
    process.exit(1);
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
  const { main } = await import("./main.js");
  process.exitCode = await main(argv, version);
}
