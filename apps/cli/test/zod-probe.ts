import fs from "node:fs/promises";
import path from "node:path";

/** What the probe prints on stderr when dist/zod.cjs is required. */
export const ZOD_LOADED = "probe: zod.cjs loaded";
/** What it prints when the process sends its first `fetch` (with `{ fetch: true }`). */
export const FIRST_REQUEST = "probe: first request sent";

/**
 * Writes a `--require` probe into `dir` and returns the NODE_OPTIONS that load it. The CLI's zod is dist/zod.cjs,
 * required on first use (scripts/zod-on-demand.ts); the probe reports that require on stderr, and optionally the
 * first `fetch`, so a test can tell whether (and before what) a path loaded zod.
 */
export async function zodProbe(dir: string, options: { fetch?: boolean } = {}): Promise<string> {
  const file = path.join(dir, "zod-probe.cjs");
  const onFetch = `const realFetch = globalThis.fetch;
let sent = false;
globalThis.fetch = function (...args) {
  if (!sent) { sent = true; process.stderr.write(${JSON.stringify(`${FIRST_REQUEST}\n`)}); }
  return realFetch.apply(this, args);
};\n`;
  await fs.writeFile(
    file,
    `const Module = require("node:module");
const load = Module._load;
Module._load = function (request) {
  if (/(^|[\\\\/])zod\\.cjs$/.test(request)) process.stderr.write(${JSON.stringify(`${ZOD_LOADED}\n`)});
  return load.apply(this, arguments);
};
${options.fetch ? onFetch : ""}`,
  );
  return `--require ${file}`;
}
