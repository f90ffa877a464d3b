import { Command, CommanderError } from "commander";
import { CliError, ExitCode, isRuntimeError } from "./exit-codes.js";
import { registerAgentCommands } from "./program/agent-commands.js";
import { registerK8sCommands } from "./program/k8s-commands.js";
import { registerSecurityCommands } from "./program/security-commands.js";
import { registerServerCommands } from "./program/server-commands.js";
import { registerSessionCommands } from "./program/session-commands.js";
import { registerStateCommands } from "./program/state-commands.js";

/** Builds the command tree. Every action lazy-loads its implementation. */
export function buildProgram(version: string): { program: Command; exitCode: () => number } {
  let exitCode: number = ExitCode.Success;
  /** Wraps a lazy command so its returned exit code becomes the process exit code. */
  const act =
    <A extends unknown[]>(run: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      exitCode = await run(...args);
    };
  const program = new Command("codetether")
    .description("An A2A-native AI coding agent.")
    .version(version, "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  registerAgentCommands(program, act);
  registerStateCommands(program, act);
  registerSessionCommands(program, act);
  registerServerCommands(program, act, version);
  registerSecurityCommands(program, act);
  registerK8sCommands(program, act, version);
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
  const { program, exitCode } = buildProgram(version);
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
