import { sanitizeTerminalText as clean, toJsonText } from "@codetether/core";
import { type A2ABinding, type A2AClientEvent, sendA2AMessage, TERMINAL_STATES } from "./send-message.js";

export interface A2ASendCommandOptions {
  /** `--url`: the agent's base URL or card URL. */
  url: string;
  /** The message text (positional argument). */
  message: string;
  /** `--token` or `CODETETHER_TOKEN`. */
  token?: string;
  /** `--no-stream` turns streaming off (default on). */
  stream?: boolean;
  /** `--json`: one JSON event per line instead of text. */
  json?: boolean;
  /** `--context <id>` and `--task <id>` continue a conversation / answer a question. */
  contextId?: string;
  taskId?: string;
  /** `--binding jsonrpc|rest|grpc` (default JSON-RPC). */
  transport?: A2ABinding;
  signal?: AbortSignal;
}

export interface CommandIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

/** `value` as one shell word, for a command line the user may copy and paste. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * `codetether a2a send --url <agent> "message"`: streams the reply to stdout. Exit codes: 0 completed,
 * 1 failed/canceled/rejected or error, 2 bad usage, 3 the agent needs input (answer with `--task <id>`).
 * The remote agent is untrusted: its text, errors and ids reach the terminal without escape sequences,
 * and the ids it chose are shell-quoted in the reply command suggested.
 */
export async function runA2ASendCommand(options: A2ASendCommandOptions, io: CommandIO): Promise<number> {
  try {
    new URL(options.url);
  } catch {
    io.stderr.write(`error: --url "${options.url}" is not an absolute URL (e.g. http://127.0.0.1:4096).\n`);
    return 2;
  }
  if (!options.message.trim()) {
    io.stderr.write("error: the message is empty; pass the text to send as an argument.\n");
    return 2;
  }
  let finalState = "";
  let lastTask: { taskId: string; contextId: string } | undefined;
  let printedText = false;
  try {
    for await (const event of sendA2AMessage({ ...options, stream: options.stream ?? true })) {
      if (options.json) {
        io.stdout.write(toJsonText(event));
      } else {
        printedText = printEvent(event, io, printedText);
      }
      if (event.type === "task" || event.type === "status") {
        finalState = event.state;
        lastTask = { taskId: event.taskId, contextId: event.contextId };
      }
      if (event.type === "message") finalState = "MESSAGE";
    }
  } catch (err) {
    const message = (err as Error).message;
    const hint =
      /401|403|unauthori[sz]ed|refused the credentials/i.test(message) && !/--token/.test(message)
        ? " (check --token / CODETETHER_TOKEN)"
        : "";
    io.stderr.write(clean(`error: A2A request to ${options.url} failed: ${message}${hint}`) + "\n");
    return 1;
  }
  if (!options.json && printedText) io.stdout.write("\n");
  if (finalState === "TASK_STATE_COMPLETED" || finalState === "MESSAGE") return 0;
  if (finalState === "TASK_STATE_INPUT_REQUIRED" || finalState === "TASK_STATE_AUTH_REQUIRED") {
    if (!options.json && lastTask) {
      const reply = [
        "codetether a2a send --url",
        shellWord(options.url),
        "--task",
        shellWord(clean(lastTask.taskId)),
        "--context",
        shellWord(clean(lastTask.contextId)),
        '"<answer>"',
      ].join(" ");
      io.stderr.write(`The agent needs input. Reply with: ${clean(reply)}\n`);
    }
    return 3;
  }
  if (!options.json) io.stderr.write(`Task ended in ${clean(finalState) || "an unknown state"}.\n`);
  return TERMINAL_STATES.has(finalState) || !finalState ? 1 : 0;
}

function printEvent(event: A2AClientEvent, io: CommandIO, printedText: boolean): boolean {
  if (event.type === "artifact") {
    if (event.name === "file-change") {
      io.stderr.write(`[file change] ${clean(event.text)}\n`);
      return printedText;
    }
    if (event.text) io.stdout.write(clean(event.text));
    return printedText || event.text.length > 0;
  }
  if (event.type === "message") {
    io.stdout.write(clean(event.text));
    return true;
  }
  if ((event.type === "status" || event.type === "task") && event.text) {
    const state = event.state;
    if (state === "TASK_STATE_COMPLETED" && printedText) return printedText;
    if (state === "TASK_STATE_COMPLETED") {
      io.stdout.write(clean(event.text));
      return true;
    }
    io.stderr.write(clean(`[${state.replace("TASK_STATE_", "").toLowerCase()}] ${event.text}`) + "\n");
  }
  return printedText;
}
