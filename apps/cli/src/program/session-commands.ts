import type { Command } from "commander";
import { processIO } from "../io.js";
import { type Act, parseIntOption } from "./act.js";

/** Commands that move and measure saved sessions: sessions (list, fork), export, import, stats. */
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
