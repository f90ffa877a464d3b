import readline from "node:readline";
import type { CliIO } from "./io.js";
import { unapprovedWhy } from "./trust-warning.js";

/**
 * For interactive front ends (the TUI): when the project's config wants settings an untrusted folder may not apply
 * and the user has never decided for this folder, ask once and store the answer (either way, so it is not asked
 * again). In a trusted folder whose codetether.toml is new or changed since it was trusted, ask again (a "no" is
 * not stored: the file stays unapproved and is asked about next time). Non-TTY, already decided, trusted by env, or nothing ignored: returns without asking. Config errors are
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
  // Never decided, or trusted but this codetether.toml is new/changed since (the agent may have written it).
  const unapproved = trust.source === "store" ? trust.unapproved : undefined;
  if (trust.trusted || (trust.source !== "default" && !unapproved) || !trust.ignored.length) return;
  const keys = trust.ignored.map((i) => `  - ${i.key}: ${i.reason}\n`).join("");
  const intro = unapproved
    ? `codetether: ${unapprovedWhy(trust, unapproved)}.\nIt asks for settings that would weaken your security:\n`
    : `${loaded.projectFile ?? trust.folder} asks for settings that would weaken your security:\n`;
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr });
  const answer = await new Promise<string>((resolve) => {
    rl.question(
      `${intro}${keys}Trust ${trust.folder}? Only if you wrote or reviewed its codetether.toml and .codetether/. [y/N] `,
      resolve,
    );
    rl.once("close", () => resolve(""));
  });
  rl.close();
  const yes = /^\s*y(es)?\s*$/i.test(answer);
  if (unapproved && !yes) {
    // The folder stays trusted for what was approved; this file is asked about again until approved.
    io.stderr.write(
      `Not approved: only its settings that tighten security apply. Approve it later with: codetether trust ${trust.folder}\n`,
    );
    return;
  }
  await setFolderTrust(trust.folder, yes ? "trusted" : "untrusted", io.env);
  io.stderr.write(
    yes
      ? `Trusted (its config as it is now). Undo with: codetether trust --revoke ${trust.folder}\n`
      : `Not trusted: only settings that tighten security apply. Change it with: codetether trust ${trust.folder}\n`,
  );
}
