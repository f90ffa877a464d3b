import { type Command, Option } from "commander";
import { processIO } from "../io.js";
import { type Act, collect, parseGrpcPortOption, parsePortOption, untrustedWorkspaceEnv } from "./act.js";

/** Commands for protocols: acp, serve, worker, a2a. Each action lazy-loads its implementation. */
export function registerServerCommands(program: Command, act: Act, version: string): void {
  program
    .command("acp")
    .description("Serve the Agent Client Protocol on stdio for editors (Zed, JetBrains, Neovim)")
    .option("-m, --model <provider/model>", "default model for new sessions")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { acpCommand } = await import("../commands/acp.js");
        return acpCommand({ ...options, version }, processIO());
      }),
    );

  program
    .command("serve")
    .description(
      "Serve codetether over A2A (JSON-RPC, HTTP+JSON, SSE, gRPC) with the sessions, audit and cognition APIs",
    )
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 = any free port)", parsePortOption, 4096)
    .option(
      "--grpc-port <port>",
      "A2A gRPC port on the same host (default: --port + 1, any free port with --port 0; 0 disables)",
      parseGrpcPortOption,
    )
    .option("--show-token", "print the bearer token itself")
    .option("--a2a-conformance", "serve the A2A TCK agent-under-test contract instead of the model")
    .option("-m, --model <provider/model>", "model for A2A tasks and the cognition loop")
    .option(
      "--trust-project",
      "apply the workspace's codetether.toml in full (default: only what tightens security)",
    )
    .action(
      act(async (options: Record<string, unknown>) => {
        const { serveCommand } = await import("../commands/serve.js");
        const io = processIO();
        return serveCommand(
          { ...options, version },
          { ...io, env: untrustedWorkspaceEnv(io.env, options.trustProject) },
        );
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
    .addOption(
      new Option("--a2a-binding <binding>", "A2A binding used to reach --a2a-url (default jsonrpc)").choices([
        "jsonrpc",
        "rest",
        "grpc",
      ]),
    )
    .option("--codebase <dir>", "codebase to advertise (repeatable; default: current directory)", collect, [])
    .option("-m, --model <provider/model>", "model for local execution")
    .option(
      "--trust-project",
      "apply the workspace's codetether.toml in full (default: only what tightens security)",
    )
    .action(
      act(async (options: Record<string, unknown> & { codebase?: string[] }) => {
        const { workerCommand } = await import("../commands/worker.js");
        const io = processIO();
        const env = untrustedWorkspaceEnv(io.env, options.trustProject);
        return workerCommand({ ...options, codebases: options.codebase ?? [] }, { ...io, env });
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
    .addOption(
      new Option(
        "--binding <binding>",
        "A2A protocol binding (default jsonrpc; grpc uses the card's GRPC interface)",
      ).choices(["jsonrpc", "rest", "grpc"]),
    )
    .addOption(
      new Option("--transport <binding>", "same as --binding")
        .choices(["jsonrpc", "rest", "grpc"])
        .hideHelp(),
    )
    .action(
      act(async (message: string[], options: Record<string, unknown> & { url: string }) => {
        const { a2aSendCommand } = await import("../commands/a2a.js");
        return a2aSendCommand({ ...options, message }, processIO());
      }),
    );
}
