import { Command, CommanderError, Option } from "commander";
import { CliError, ExitCode } from "./exit-codes.js";
import { processIO } from "./io.js";
import { withInterrupt } from "./wiring/interrupt.js";

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
    .command("swarm")
    .description("Split a task into sub-agents that run in parallel, then combine their results")
    .argument("<task...>", "the task")
    .addOption(
      new Option("--strategy <name>", "how to decompose")
        .choices(["auto", "domain", "data", "stage", "none"])
        .default("auto"),
    )
    .option("--max-subagents <n>", "sub-agents running at once", parseIntOption("--max-subagents"))
    .option("--max-steps <n>", "agent steps per sub-agent", parseIntOption("--max-steps"))
    .option("--timeout <seconds>", "time limit per sub-agent", parseIntOption("--timeout"))
    .option("-m, --model <provider/model>", "model to use")
    .option("--worktrees", "give each sub-agent its own git worktree, merged back at the end")
    .option("--json", "print newline-delimited JSON events")
    .action(
      act(async (task: string[], options: Record<string, unknown>) => {
        const { swarmCommand } = await import("./commands/swarm.js");
        return swarmCommand({ task, ...options }, processIO());
      }),
    );

  const ralph = program
    .command("ralph")
    .description("PRD-driven autonomous development (prd.json → stories → commits)");
  ralph
    .command("run")
    .description("Work through the stories of a PRD until every quality check passes")
    .option("--prd <file>", "the PRD file", "prd.json")
    .option("-m, --model <provider/model>", "model to use")
    .option("--max-iterations <n>", "iterations before stopping", parseIntOption("--max-iterations"))
    .option("--max-steps <n>", "agent steps per iteration", parseIntOption("--max-steps"))
    .option("--json", "print newline-delimited JSON events")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { ralphRunCommand } = await import("./commands/ralph.js");
        return ralphRunCommand(options, processIO());
      }),
    );
  ralph
    .command("create-prd")
    .description("Write a PRD template (or draft stories from --description with a model)")
    .requiredOption("--feature <name>", "the feature")
    .requiredOption("--project-name <name>", "the project")
    .option("-o, --output <file>", "where to write", "prd.json")
    .option("--description <text>", "describe the feature to have the model draft stories")
    .option("-m, --model <provider/model>", "model to use with --description")
    .option("--force", "overwrite an existing file")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { ralphCreatePrdCommand } = await import("./commands/ralph.js");
        return ralphCreatePrdCommand(options as { feature: string; projectName: string }, processIO());
      }),
    );
  ralph
    .command("status")
    .description("Show per-story progress")
    .option("--prd <file>", "the PRD file", "prd.json")
    .option("--json", "print JSON")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { ralphStatusCliCommand } = await import("./commands/ralph.js");
        return ralphStatusCliCommand(options, processIO());
      }),
    );

  program
    .command("rlm")
    .description("Answer a question about content larger than any context window (Recursive Language Model)")
    .argument("<question...>", "the question")
    .option("-f, --file <path>", "content file (repeatable)", collect, [])
    .option("--content <text>", 'content as text; "-" reads stdin')
    .addOption(
      new Option("--content-type <type>", "content type").choices([
        "auto",
        "code",
        "logs",
        "conversation",
        "documents",
      ]),
    )
    .option("-m, --model <provider/model>", "model to use")
    .option("--max-iterations <n>", "exploration steps", parseIntOption("--max-iterations"))
    .option("--max-depth <n>", "sub-query recursion depth", parseIntOption("--max-depth"))
    .option("--json", "print the result as JSON")
    .option("--verbose", "progress on stderr")
    .action(
      act(async (question: string[], options: Record<string, unknown>) => {
        const { rlmCommand } = await import("./commands/rlm.js");
        return rlmCommand({ question, ...options }, processIO());
      }),
    );

  program
    .command("tui")
    .description("Interactive terminal UI: streaming chat, tool calls, model and session pickers")
    .option("-m, --model <provider/model>", "model to start with")
    .option("-c, --continue", "continue the latest session of this directory")
    .option("-s, --session <id>", "resume a given session")
    .option(
      "--theme <name>",
      "marketing, dark, light, solarized-dark or solarized-light (default: [ui] theme)",
    )
    .option("--layout <name>", "classic or webview")
    .option("--cwd <dir>", "working directory (default: current directory)")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { tuiCommand } = await import("./commands/tui.js");
        return tuiCommand(options, processIO());
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
    .description("List the models of every configured provider (limits, tool support, prices)")
    .argument("[provider]", "only this provider")
    .option("--json", "one JSON object per line")
    .option(
      "--pull [model]",
      "download a local GGUF model now (default: the embedded default; hf: URI or path)",
    )
    .action(
      act(async (provider: string | undefined, options: Record<string, unknown>) => {
        const io = processIO();
        if (options.pull !== undefined) {
          const { runLocalPullCommand } = await import("@codetether/providers");
          const model = typeof options.pull === "string" ? options.pull : undefined;
          return withInterrupt((signal) =>
            runLocalPullCommand({ ...(model ? { model } : {}), env: io.env, signal }, io),
          );
        }
        const { modelsCommand } = await import("./commands/models.js");
        return modelsCommand({ ...options, ...(provider ? { provider } : {}) }, io);
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
    .option("--set-provider <name>", "store a provider key/base URL in Vault or the 0600 file store")
    .option("--api-key <->", "with --set-provider: '-' reads the key from stdin")
    .option("--base-url <url>", "with --set-provider: the provider's base URL")
    .action(
      act(async (options: Record<string, unknown>) => {
        if (typeof options.setProvider === "string") {
          const { setProviderCommand } = await import("./commands/secrets.js");
          return setProviderCommand(options as { setProvider: string }, processIO());
        }
        const { configCommand } = await import("./commands/config.js");
        return configCommand(options, processIO());
      }),
    );

  program
    .command("acp")
    .description("Serve the Agent Client Protocol on stdio for editors (Zed, JetBrains, Neovim)")
    .option("-m, --model <provider/model>", "default model for new sessions")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { acpCommand } = await import("./commands/acp.js");
        return acpCommand({ ...options, version }, processIO());
      }),
    );

  // Security: audit trail, signed plugin tools, provider sign-in (lazy like every command).
  const audit = program.command("audit").description("Inspect the hash-chained audit log (<dataDir>/audit)");
  audit
    .command("verify")
    .description("Check the hash chain; names the first edited, deleted, reordered or truncated record")
    .option("--dir <dir>", "audit directory (default: <dataDir>/audit)")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { auditVerifyCommand } = await import("./commands/audit.js");
        return auditVerifyCommand(options, processIO());
      }),
    );
  audit
    .command("query")
    .description("List audit records, oldest first")
    .option("--actor <actor>", "e.g. user, agent:<session>")
    .option("--action <action>", "e.g. tool.execute, permission.decision, plugin.refused")
    .option("--resource <resource>", "tool id, session id, path")
    .option("--outcome <outcome>", "success, failure, denied, error, allowed")
    .option("--since <time>", "ISO time, inclusive")
    .option("--until <time>", "ISO time, exclusive")
    .option("--after <seq>", "page after this sequence number", parseIntOption("--after"))
    .option("--limit <n>", "records per page", parseIntOption("--limit"))
    .option("--json", "JSON Lines")
    .option("--dir <dir>", "audit directory (default: <dataDir>/audit)")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { auditQueryCommand } = await import("./commands/audit.js");
        return auditQueryCommand(options, processIO());
      }),
    );

  const tools = program.command("tools").description("Sign and trust plugin tools (Ed25519 manifests)");
  tools
    .command("keygen")
    .description("Create a signing key (0600) and print its public key")
    .option("--out <file>", "private key file (default: <configDir>/keys/tool-signing.pem)")
    .option("--force", "replace an existing key")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { toolsKeygenCommand } = await import("./commands/tools.js");
        return toolsKeygenCommand(options, processIO());
      }),
    );
  tools
    .command("sign")
    .description("Hash a plugin directory's files and sign its manifest.json")
    .argument("<dir>", "plugin directory")
    .option("--key <file>", "private key file (default: the keygen default)")
    .action(
      act(async (dir: string, options: Record<string, unknown>) => {
        const { toolsSignCommand } = await import("./commands/tools.js");
        return toolsSignCommand({ ...options, dir }, processIO());
      }),
    );
  tools
    .command("verify")
    .description("Check a plugin directory's signature (trusted keys) and file hashes")
    .argument("<dir>", "plugin directory")
    .action(
      act(async (dir: string) => {
        const { toolsVerifyCommand } = await import("./commands/tools.js");
        return toolsVerifyCommand({ dir }, processIO());
      }),
    );
  tools
    .command("trust")
    .description("Trust a public key (ed25519:...) for plugin tools")
    .argument("<pubkey>", "public key printed by keygen")
    .option("--comment <text>", "note stored with the key")
    .action(
      act(async (publicKey: string, options: Record<string, unknown>) => {
        const { toolsTrustCommand } = await import("./commands/tools.js");
        return toolsTrustCommand({ ...options, publicKey }, processIO());
      }),
    );

  program
    .command("auth")
    .description("Sign in to a provider")
    .command("copilot")
    .description("GitHub Copilot: OAuth device flow; the token goes to the secret store")
    .option("--client-id <id>", "OAuth app client id (default: CODETETHER_COPILOT_OAUTH_CLIENT_ID)")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { authCopilotCommand } = await import("./commands/auth.js");
        return authCopilotCommand(options, processIO());
      }),
    );

  program
    .command("serve")
    .description(
      "Serve codetether over A2A (JSON-RPC, HTTP+JSON, SSE) with the sessions, audit and cognition APIs",
    )
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 = any free port)", parsePortOption, 4096)
    .option("--show-token", "print the bearer token itself")
    .option("--a2a-conformance", "serve the A2A TCK agent-under-test contract instead of the model")
    .option("-m, --model <provider/model>", "model for A2A tasks and the cognition loop")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { serveCommand } = await import("./commands/serve.js");
        return serveCommand(options, processIO());
      }),
    );

  program
    .command("worker")
    .description("Run tasks from a CodeTether platform server (register, claim, stream output, heartbeat)")
    .option("--server <url>", "platform URL (default: CODETETHER_SERVER)")
    .option("--token <token>", "platform token (default: CODETETHER_TOKEN)")
    .option("--name <name>", "worker name (default: CODETETHER_WORKER_NAME or codetether-<pid>)")
    .addOption(
      new Option("--auto-approve <mode>", "which tool calls run without asking").choices([
        "all",
        "safe",
        "none",
      ]),
    )
    .option("--a2a-url <url>", "forward tasks to this A2A agent instead of running them locally")
    .option("--a2a-token <token>", "bearer token for --a2a-url")
    .option("--codebase <dir>", "codebase to advertise (repeatable; default: current directory)", collect, [])
    .option("-m, --model <provider/model>", "model for local execution")
    .action(
      act(async (options: Record<string, unknown> & { codebase?: string[] }) => {
        const { workerCommand } = await import("./commands/worker.js");
        return workerCommand({ ...options, codebases: options.codebase ?? [] }, processIO());
      }),
    );

  const a2a = program.command("a2a").description("Talk to A2A agents");
  a2a
    .command("send")
    .description("Send a message to an A2A agent and stream its reply")
    .argument("<message...>", "the message")
    .requiredOption("--url <agent>", "the agent's base URL or card URL")
    .option("--token <token>", "bearer token (default: CODETETHER_TOKEN)")
    .option("--no-stream", "wait for the final result instead of streaming")
    .option("--json", "print one JSON event per line")
    .option("--context <id>", "continue a conversation (context id)")
    .option("--task <id>", "answer a task that needs input")
    .addOption(new Option("--transport <binding>", "protocol binding").choices(["jsonrpc", "rest"]))
    .action(
      act(async (message: string[], options: Record<string, unknown> & { url: string }) => {
        const { a2aSendCommand } = await import("./commands/a2a.js");
        return a2aSendCommand({ ...options, message }, processIO());
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

function parsePortOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError(`--port must be a port number from 0 to 65535, got "${value}".`, 2);
  return n;
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
    if (err instanceof CliError) {
      process.stderr.write(`codetether: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`codetether: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    await (await import("./crash-hook.js")).reportCrash(err, { version, argv });
    return ExitCode.Failure;
  }
}
