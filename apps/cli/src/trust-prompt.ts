import readline from "node:readline";
import type { CliIO } from "./io.js";

/**
 * For interactive front ends (the TUI): when the project's config wants settings an untrusted folder may not apply
 * and the user has never decided for this folder, ask once and store the answer (either way, so it is not asked
 * again). Non-TTY, already decided, trusted by env, or nothing ignored: returns without asking. Config errors are
 * left for the runtime to report.
 */
export async function askProjectTrustOnce(cwd: string, io: CliIO): Promise<void> {
  if (!io.stdin.isTTY || !io.stderr.isTTY) return;
  const { loadConfig, setFolderTrust } = await import("@codetether/core");
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig({ cwd, env: io.env });
  } catch {
    return;
  }
  const trust = loaded.projectTrust;
  if (trust.trusted || trust.source !== "default" || !trust.ignored.length) return;
  const keys = trust.ignored.map((i) => `  - ${i.key}: ${i.reason}\n`).join("");
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr });
  const answer = await new Promise<string>((resolve) => {
    rl.question(
      `${loaded.projectFile ?? trust.folder} asks for settings that would weaken your security:\n${keys}` +
        `Trust ${trust.folder}? Only if you wrote or reviewed its codetether.toml and .codetether/. [y/N] `,
      resolve,
    );
    rl.once("close", () => resolve(""));
  });
  rl.close();
  const yes = /^\s*y(es)?\s*$/i.test(answer);
  await setFolderTrust(trust.folder, yes ? "trusted" : "untrusted", io.env);
  io.stderr.write(
    yes
      ? `Trusted. Undo with: codetether trust --revoke ${trust.folder}\n`
      : `Not trusted: only settings that tighten security apply. Change it with: codetether trust ${trust.folder}\n`,
  );
}
