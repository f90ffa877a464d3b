import path from "node:path";
import { dataDir, SessionStore } from "@codetether/core";
import type { CliIO } from "../io.js";

/** `codetether sessions`: saved sessions, newest first. */
export async function sessionsCommand(
  options: { json?: boolean; all?: boolean },
  io: CliIO,
): Promise<number> {
  const store = new SessionStore(path.join(dataDir(io.env), "sessions"));
  const cwd = path.resolve(io.cwd);
  const sessions = (await store.list()).filter((s) => options.all || path.resolve(s.cwd) === cwd);
  if (options.json) {
    io.stdout.write(`${JSON.stringify(sessions, null, 2)}\n`);
    return 0;
  }
  if (sessions.length === 0) {
    io.stdout.write(
      options.all ? "No sessions yet.\n" : `No sessions in ${cwd} (use --all for every directory).\n`,
    );
    return 0;
  }
  for (const s of sessions) {
    const when = new Date(s.updatedAt).toISOString().replace("T", " ").slice(0, 16);
    io.stdout.write(
      `${s.id}  ${when}  ${String(s.messageCount).padStart(3)} msgs  ${s.title}${options.all ? `  (${s.cwd})` : ""}\n`,
    );
  }
  return 0;
}
