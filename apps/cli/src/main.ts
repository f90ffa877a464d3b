import { Command, CommanderError, Option } from "commander";
import { CliError, ExitCode } from "./exit-codes.js";
import { processIO } from "./io.js";

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

  program
    .command("run")
    .description("Run the agent on one prompt, non-interactively (tools enabled)")
    .argument("[prompt...]", 'the prompt; "-" reads it from stdin')
    .option("-m, --model <provider/model>", "model to use, e.g. openai/gpt-4o")
    .option("-c, --continue", "continue the latest session of this directory")
    .option("-s, --session <id>", "continue a given session")
    .option("--json", "print newline-delimited JSON events instead of text")
    .option("--max-steps <n>", "maximum agent steps for this turn", parseIntOption("--max-steps"))
    .option("-y, --yes", "approve every tool call that a rule marks as ask (same as --auto-approve all)")
    .addOption(
      new Option("--auto-approve <mode>", "how to answer permission prompts when non-interactive").choices([
        "all",
        "safe",
        "none",
      ]),
    )
    .option("--compact", "compact the session history before running")
    .option("--cwd <dir>", "working directory (default: current directory)")
    .action(
      act(async (prompt: string[], options: Record<string, unknown>) => {
        const { runCommand } = await import("./commands/run.js");
        return runCommand({ prompt, ...options }, processIO());
      }),
    );

  program
    .command("sessions")
    .description("List saved sessions (newest first)")
    .option("--json", "print JSON")
    .option("--all", "all directories, not only the current one")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { sessionsCommand } = await import("./commands/sessions.js");
        return sessionsCommand(options, processIO());
      }),
    );

  program
    .command("models")
    .description("List the models of every configured provider")
    .option("--json", "print JSON")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { modelsCommand } = await import("./commands/models.js");
        return modelsCommand(options, processIO());
      }),
    );

  program
    .command("config")
    .description("Show or change configuration")
    .option("--show", "print the effective config with the source of each value (secrets masked)")
    .option("--path", "print the config file paths")
    .option("--set <key=value>", "set a key in the user config (validated, atomic)", collect, [])
    .option("--unset <key>", "remove a key from the user config", collect, [])
    .option("--project", "with --set/--unset: write the project codetether.toml instead")
    .option("--json", "print JSON")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { configCommand } = await import("./commands/config.js");
        return configCommand(options, processIO());
      }),
    );

  return { program, exitCode: () => exitCode };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseIntOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new CliError(`${name} must be a positive whole number, got "${value}".`, 2);
    return n;
  };
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[], version: string): Promise<number> {
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
    if (err instanceof CliError) {
      process.stderr.write(`codetether: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`codetether: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return ExitCode.Failure;
  }
}
