import path from "node:path";
import { sanitizeTerminalText as clean, dataDir, SessionStore, toJsonText } from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
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
    io.stdout.write(toJsonText(sessions, 2));
    return 0;
  }
  if (sessions.length === 0) {
    io.stdout.write(
      options.all ? "No sessions yet.\n" : `No sessions in ${cwd} (use --all for every directory).\n`,
    );
    return 0;
  }
  // Titles come from prompts, imported files and A2A clients' context ids: they must not drive the terminal.
  for (const s of sessions) {
    const when = new Date(s.updatedAt).toISOString().replace("T", " ").slice(0, 16);
    io.stdout.write(
      `${s.id}  ${when}  ${String(s.messageCount).padStart(3)} msgs  ${clean(s.title)}${options.all ? `  (${clean(s.cwd)})` : ""}\n`,
    );
  }
  return 0;
}

/** `codetether sessions fork <id> [--at <turn>]`: a new session with the history up to a turn. */
export async function sessionsForkCommand(
  options: { id: string; at?: number; json?: boolean },
  io: CliIO,
): Promise<number> {
  const { forkSession } = await import("@codetether/core");
  const { loadSessionArg } = await import("./session-export.js");
  const store = new SessionStore(path.join(dataDir(io.env), "sessions"));
  const source = await loadSessionArg(store, options.id, path.resolve(io.cwd));
  let fork: ReturnType<typeof forkSession>;
  try {
    fork = forkSession(source, options.at !== undefined ? { at: options.at } : {});
  } catch (err) {
    if (err instanceof RangeError) throw new CliError(`${source.id}: ${err.message}`, ExitCode.Usage);
    throw err;
  }
  await store.save(fork);
  if (options.json) io.stdout.write(toJsonText({ id: fork.id, forkedFrom: fork.metadata.forkedFrom }));
  else {
    io.stdout.write(`${fork.id}\n`);
    io.stderr.write(
      `Forked ${source.id} at turn ${(fork.metadata.forkedFrom as { turn: number }).turn}. Continue it with: codetether run -s ${fork.id} "..."\n`,
    );
  }
  return ExitCode.Success;
}
