import type { Command } from "commander";
import { CliError, ExitCode } from "../exit-codes.js";
import { processIO } from "../io.js";
import { type Act, parseIntOption } from "./act.js";

/** `--to 0` rewinds to before the first turn. */
function parseTurn(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new CliError(`--to must be a turn number (0 or more), got "${value}".`, ExitCode.Usage);
  return n;
}

/** Commands that move, measure and rewind saved sessions: sessions (list, fork), export, import, rewind, stats. */
export function registerSessionCommands(program: Command, act: Act): void {
  const sessions = program
    .command("sessions")
    .description("List saved sessions (newest first); `sessions fork` branches one")
    .option("--json", "print JSON")
    .option("--all", "all directories, not only the current one")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { sessionsCommand } = await import("../commands/sessions.js");
        return sessionsCommand(options, processIO());
      }),
    );
  sessions
    .command("fork")
    .description("Copy a session into a new one, up to and including a turn")
    .argument("<id>", "the session to fork")
    .option("--at <turn>", "last turn to keep (default: all)", parseIntOption("--at"))
    .option("--json", "print JSON")
    .action(
      act(async (id: string, options: { at?: number; json?: boolean }) => {
        const { sessionsForkCommand } = await import("../commands/sessions.js");
        return sessionsForkCommand({ id, ...options }, processIO());
      }),
    );
  program
    .command("export")
    .description("Write a session as one JSON document (messages, tool calls, usage; secrets redacted)")
    .argument("[id]", "session id (default: the latest session of this directory)")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(
      act(async (id: string | undefined, options: { output?: string }) => {
        const { exportCommand } = await import("../commands/session-export.js");
        return exportCommand({ ...(id ? { id } : {}), ...options }, processIO());
      }),
    );
  program
    .command("import")
    .description("Import a session exported with `codetether export` (new id, resumable with run -s)")
    .argument("<file>", 'the export file; "-" reads stdin')
    .option("--json", "print JSON")
    .action(
      act(async (file: string, options: { json?: boolean }) => {
        const { importCommand } = await import("../commands/session-export.js");
        return importCommand({ file, ...options }, processIO());
      }),
    );
  program
    .command("rewind")
    .description(
      "Restore a session to the end of a turn: the agent's file changes after it and/or the conversation",
    )
    .argument("<id>", "the session")
    .requiredOption("--to <turn>", "the last turn to keep", parseTurn)
    .option("--files", "only undo the agent's file changes after the turn")
    .option("--conversation", "only remove the messages after the turn")
    .option("--both", "both (the default)")
    .option("--json", "print JSON")
    .action(
      act(async (id: string, options: { to: number }) => {
        const { rewindCommand } = await import("../commands/rewind.js");
        return rewindCommand({ id, ...options }, processIO());
      }),
    );
  program
    .command("stats")
    .description("Sessions, turns, tokens and cost by model and by day, from saved sessions")
    .option("--days <n>", "only the last n days (today counts as one)", parseIntOption("--days"))
    .option("--json", "print JSON")
    .action(
      act(async (options: { days?: number; json?: boolean }) => {
        const { statsCommand } = await import("../commands/stats.js");
        return statsCommand(options, processIO());
      }),
    );
}
