// Entry point. Keeps `--version` free of any import so start-up stays close to bare `node`.
declare const __CODETETHER_VERSION__: string;

const version = typeof __CODETETHER_VERSION__ === "string" ? __CODETETHER_VERSION__ : "0.0.0-dev";
const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V" || argv[0] === "-v")) {
  process.stdout.write(`${version}\n`);
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
