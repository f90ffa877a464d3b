import fs from "node:fs/promises";
import path from "node:path";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { auditRecords, securityBox } from "./security-helpers.js";

// Shared by the hooks e2e files: config `[[hooks.<event>]]` run with the real CLI, real hook processes and a scripted
// model.

const servers: ScriptedOpenAI[] = [];

/** Closes the scripted models the test started (call from `afterEach`). */
export async function closeHookServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

type Turns = Parameters<typeof startScriptedOpenAI>[0];
export const M = ["-m", "openai/gpt-4o"];

/** A temp HOME; hook scripts go in `<dir>/h`, their captures in `<dir>/out`. */
export async function makeBox() {
  const box = await securityBox();
  await fs.mkdir(box.configDir, { recursive: true });
  await fs.mkdir(path.join(box.dir, "h"));
  await fs.mkdir(path.join(box.dir, "out"));
  return box;
}

/** Writes the user config `toml` into `box` and starts the scripted model. */
export async function setup(toml: string, turns: Turns, given?: Awaited<ReturnType<typeof makeBox>>) {
  const box = given ?? (await makeBox());
  const server = await startScriptedOpenAI(turns);
  servers.push(server);
  await fs.writeFile(path.join(box.configDir, "config.toml"), toml);
  const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
  const out = (name: string) => path.join(box.dir, "out", name);
  return { ...box, env, server, out };
}

/** Writes an executable hook script and returns the TOML line that runs it. */
export async function script(dir: string, name: string, body: string): Promise<string> {
  const file = path.join(dir, "h", name);
  await fs.writeFile(file, `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  return `command = '${file}'`;
}

/** Shell lines that set `p` to the `transcript_path` of the hook input in `$input`. */
export const TRANSCRIPT_PATH_OF_INPUT = `p=$(sed -n 's/.*"transcript_path":"\\([^"]*\\)".*/\\1/p' <<<"$input")`;

export const events = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
export const readJson = async (file: string) => JSON.parse(await fs.readFile(file, "utf8"));
export { exists } from "./helpers.js";
/** Whether `pid` is a live process (a zombie waiting to be reaped is not). */
export const running = async (pid: number) => {
  const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat !== "" && stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
};
/** Everything the model was sent in request `i`, as one string. */
export const sent = (server: ScriptedOpenAI, i: number) => JSON.stringify(server.requests[i]?.body ?? {});
export const hookRecords = async (auditDir: string) =>
  (await auditRecords(auditDir)).filter((r) => r.action === "hook.run") as Array<{
    resource: string;
    outcome: string;
    details: Record<string, unknown>;
  }>;
