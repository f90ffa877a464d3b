import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { type ScriptedTurnData, ScriptFileSchema } from "./script.js";
import { startScriptedOpenAI } from "./scripted-openai.js";

export interface ScriptedOpenAIMainIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const USAGE = `Usage: scripted-openai <script.json> [--port N] [--api-key KEY] [--requests-out FILE]

Serves an OpenAI-compatible Chat Completions API on 127.0.0.1 that replays the scripted turns,
prints its base URL (ending in /v1) on stdout, and runs until SIGINT/SIGTERM.
--requests-out FILE rewrites FILE with the recorded requests (JSON array) after each request.`;

/** Loads and validates a script file, with an error naming the file and the bad key. */
export function loadScriptFile(file: string): {
  turns: ScriptedTurnData[];
  models?: string[];
  apiKey?: string;
} {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`Cannot read script ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = ScriptFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(top level)";
    throw new Error(
      `Invalid script ${file} at ${where}: ${issue?.message ?? "unknown error"}. ` +
        'Expected a list of turns, e.g. [{"text":"hi"}, {"toolCalls":[{"name":"read","arguments":{"path":"a"}}]}, {"type":"error","status":429}].',
    );
  }
  const data = parsed.data;
  if (Array.isArray(data)) return { turns: data };
  return {
    turns: data.turns,
    ...(data.models ? { models: data.models } : {}),
    ...(data.apiKey !== undefined ? { apiKey: data.apiKey } : {}),
  };
}

/**
 * Runs the scripted server as a process. Resolves with an exit code: 2 for usage errors; otherwise the
 * returned `stop` promise resolves with 0 after a signal. `signal` lets in-process callers stop it.
 */
export async function main(
  argv: string[],
  io: ScriptedOpenAIMainIO = process,
  signal?: AbortSignal,
): Promise<number> {
  const args = [...argv];
  let file: string | undefined;
  let port: number | undefined;
  let apiKey: string | undefined;
  let requestsOut: string | undefined;
  while (args.length) {
    const arg = args.shift() as string;
    if (arg === "--help" || arg === "-h") {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (arg === "--port" || arg === "--api-key" || arg === "--requests-out") {
      const value = args.shift();
      if (value === undefined) {
        io.stderr.write(`scripted-openai: ${arg} needs a value.\n${USAGE}\n`);
        return 2;
      }
      if (arg === "--port") {
        port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          io.stderr.write(`scripted-openai: --port must be an integer 0-65535, got "${value}".\n`);
          return 2;
        }
      } else if (arg === "--api-key") apiKey = value;
      else requestsOut = value;
    } else if (arg.startsWith("-")) {
      io.stderr.write(`scripted-openai: unknown option ${arg}.\n${USAGE}\n`);
      return 2;
    } else if (file === undefined) file = arg;
    else {
      io.stderr.write(`scripted-openai: unexpected argument "${arg}".\n${USAGE}\n`);
      return 2;
    }
  }
  if (!file) {
    io.stderr.write(`scripted-openai: missing script file.\n${USAGE}\n`);
    return 2;
  }
  let script: ReturnType<typeof loadScriptFile>;
  try {
    script = loadScriptFile(file);
  } catch (err) {
    io.stderr.write(`scripted-openai: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const server = await startScriptedOpenAI(script.turns, {
    ...(port !== undefined ? { port } : {}),
    ...(script.models ? { models: script.models } : {}),
    ...((apiKey ?? script.apiKey) !== undefined ? { apiKey: apiKey ?? script.apiKey } : {}),
    ...(requestsOut
      ? {
          onRequest: () => {
            const tmp = `${requestsOut}.tmp-${process.pid}`;
            writeFileSync(tmp, JSON.stringify(server.requests, null, 2));
            renameSync(tmp, requestsOut);
          },
        }
      : {}),
  });
  io.stdout.write(`${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    if (signal) {
      if (signal.aborted) stop();
      signal.addEventListener("abort", stop, { once: true });
    } else {
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    }
  });
  await server.close();
  return 0;
}
