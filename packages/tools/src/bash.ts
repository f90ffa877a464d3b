import { spawn } from "node:child_process";
import { defineTool, lazySchema, terminateGroup, trackGroup, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { OutputBuffer } from "./util/output-buffer.js";
import { displayPath, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { isSandboxService, type SandboxLaunch } from "./util/services.js";

const DEFAULT_TIMEOUT_S = 120;
const MAX_TIMEOUT_S = 600;
const HEAD_BYTES = 30_000;
const TAIL_BYTES = 20_000;
/** After the shell exits, how long to wait for background children still holding the pipes. */
const DRAIN_MS = 250;

export const bashParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      command: z.string().min(1).describe("Command line to run with bash"),
      cwd: z.string().min(1).optional().describe("Directory to run in (default: working directory)"),
      timeout: z
        .number()
        .positive()
        .max(MAX_TIMEOUT_S)
        .optional()
        .describe(`Seconds before the command is killed (default ${DEFAULT_TIMEOUT_S})`),
      description: z
        .string()
        .optional()
        .describe("Short description of what the command does (shown to the user)"),
    }),
  ),
  TOOL_JSON_SCHEMAS.bash,
);

export const bashTool = defineTool({
  id: "bash",
  description: loadDescription(new URL("./bash.txt", import.meta.url)),
  kind: "exec",
  parameters: bashParameters,
  paths: (args) => [args.cwd ?? "."],
  async execute(args, ctx) {
    const cwd = resolvePath(ctx, args.cwd ?? ".");
    if ((await pathKind(cwd)) !== "directory")
      return fail(
        `Working directory not found: ${displayPath(ctx, cwd)}. Create it first or pick another cwd.`,
      );
    const timeoutMs = Math.round((args.timeout ?? DEFAULT_TIMEOUT_S) * 1000);
    const env: Record<string, string | undefined> = {
      ...process.env,
      CODETETHER: "1",
      PAGER: "cat",
      GIT_PAGER: "cat",
    };
    const sandbox = ctx.services?.sandbox;
    const launch: SandboxLaunch = isSandboxService(sandbox)
      ? await sandbox.wrap(args.command, { cwd, env, timeoutMs })
      : { file: "bash", args: ["-c", args.command], env };
    // Cancelled while the cwd was checked or the sandbox prepared: an abort listener added from here on would
    // never fire, and the command would run to its end.
    if (ctx.signal.aborted)
      return fail("[command cancelled by the user before it started]", { error: "aborted" });

    const child = spawn(launch.file, launch.args, {
      cwd,
      env: launch.env ?? env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group, so timeout/abort kills everything it started
    });
    trackGroup(child);
    const output = new OutputBuffer(HEAD_BYTES, TAIL_BYTES);
    const onData = (chunk: Buffer) => {
      output.push(chunk);
      ctx.emit({ type: "output", text: chunk.toString("utf8") });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);

    let stopped: "timeout" | "aborted" | undefined;
    const stop = (why: "timeout" | "aborted") => {
      if (stopped) return;
      stopped = why;
      terminateGroup(child);
    };
    const timer = setTimeout(() => stop("timeout"), timeoutMs);
    const onAbort = () => stop("aborted");
    ctx.signal.addEventListener("abort", onAbort, { once: true });

    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
      (resolve) => {
        child.once("error", (error) => resolve({ code: null, signal: null, error }));
        child.once("exit", (code, signal) => {
          const done = () => resolve({ code, signal });
          const drain = setTimeout(() => {
            child.stdout?.destroy();
            child.stderr?.destroy();
            done();
          }, DRAIN_MS);
          child.once("close", () => {
            clearTimeout(drain);
            done();
          });
        });
      },
    );
    clearTimeout(timer);
    ctx.signal.removeEventListener("abort", onAbort);

    if (result.error)
      return fail(`Could not start ${launch.file}: ${result.error.message}`, { error: "spawn_failed" });
    const text = output.text().trimEnd();
    const metadata = {
      exitCode: result.code,
      signal: result.signal,
      truncated: output.truncated,
      bytes: output.total,
      cwd,
    };
    if (stopped === "timeout")
      return fail(
        `${text}\n\n[command timed out after ${timeoutMs / 1000}s and was killed with its child processes. ` +
          "Raise `timeout`, or run long jobs in the background with output to a file.]",
        { ...metadata, error: "timeout" },
      );
    if (stopped === "aborted")
      return fail(`${text}\n\n[command cancelled by the user]`, { ...metadata, error: "aborted" });
    const status = result.code === null ? `killed by ${result.signal}` : `exit code ${result.code}`;
    return { output: `${text || "(no output)"}\n\n[${status}]`, metadata };
  },
});
