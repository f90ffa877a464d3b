// Entry point. Keeps `--version` free of any import so start-up stays close to bare `node`.
declare const __CODETETHER_VERSION__: string;

const version = typeof __CODETETHER_VERSION__ === "string" ? __CODETETHER_VERSION__ : "0.0.0-dev";
const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V" || argv[0] === "-v")) {
  process.stdout.write(`${version}\n`);
} else {
  const { main } = await import("./main.js");
  process.exitCode = await main(argv, version);
}
