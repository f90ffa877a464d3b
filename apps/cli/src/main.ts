import { Command, CommanderError } from "commander";
import { CliError, ExitCode, isRuntimeError } from "./exit-codes.js";
import type { Act } from "./program/act.js";
import { registerAgentCommands } from "./program/agent-commands.js";
import { registerK8sCommands } from "./program/k8s-commands.js";
import { registerSecurityCommands } from "./program/security-commands.js";
import { registerServerCommands } from "./program/server-commands.js";
import { registerSessionCommands } from "./program/session-commands.js";
import { registerStateCommands } from "./program/state-commands.js";

type RegisterCommands = (program: Command, act: Act, version: string) => void;

/**
 * The top-level commands each group registers. `main` builds only the group of the command being run (commander
 * and ~40 commands with their options cost `run` a few ms before its first request); help, unknown commands and
 * options build them all. `command-groups.test.ts` checks these lists against what each group registers.
 */
export const COMMAND_GROUPS: ReadonlyArray<{ commands: readonly string[]; register: RegisterCommands }> = [
  { commands: ["run", "swarm", "ralph", "rlm", "tui"], register: registerAgentCommands },
  { commands: ["models", "config"], register: registerStateCommands },
  {
    commands: ["sessions", "export", "import", "rewind", "stats"],
    register: registerSessionCommands,
  },
  { commands: ["acp", "serve", "worker", "a2a"], register: registerServerCommands },
  { commands: ["doctor", "audit", "tools", "trust", "auth"], register: registerSecurityCommands },
  { commands: ["k8s"], register: registerK8sCommands },
];

/**
 * Builds the command tree: every command, or with `command` (the first argument) only its group when it names one.
 * Every action lazy-loads its implementation.
 */
export function buildProgram(
  version: string,
  command?: string,
): { program: Command; exitCode: () => number } {
  let exitCode: number = ExitCode.Success;
  /** Wraps a lazy command so its returned exit code becomes the process exit code. */
  const act: Act =
    <A extends unknown[]>(run: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      exitCode = await run(...args);
    };
  const program = new Command("codetether")
    .description("An A2A-native AI coding agent.")
    .version(version, "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  const only = COMMAND_GROUPS.find((group) => command !== undefined && group.commands.includes(command));
  for (const group of only ? [only] : COMMAND_GROUPS) group.register(program, act, version);
  return { program, exitCode: () => exitCode };
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[], version: string): Promise<number> {
  // `codetether ... | head` closes the pipe early: that is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(ExitCode.Success);
      throw err;
    });
  }
  if (process.stderr.isTTY)
    await (await import("./crash-hook.js")).showCrashNotice({ stderr: process.stderr, env: process.env });
  const { program, exitCode } = buildProgram(version, argv[0]);
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode();
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" ||
        err.code === "commander.version" ||
        err.code === "commander.help"
      ) {
        return ExitCode.Success;
      }
      return ExitCode.Usage;
    }
    if (err instanceof CliError || isRuntimeError(err)) {
      process.stderr.write(`codetether: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`codetether: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    await (await import("./crash-hook.js")).reportCrash(err, { version, argv });
    return ExitCode.Failure;
  }
}
