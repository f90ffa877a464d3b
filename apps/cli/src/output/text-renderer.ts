import { type AgentEvent, sanitizeTerminalText as clean } from "@codetether/core";
import { type CliIO, useColor } from "../io.js";

const dim = (s: string) => `\x1b[2m${s}\x1b[22m`;
const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
const cyan = (s: string) => `\x1b[36m${s}\x1b[39m`;

function summarizeArgs(args: unknown): string {
  if (args && typeof args === "object") {
    const obj = args as Record<string, unknown>;
    const key = ["path", "filePath", "file", "pattern", "command", "url", "query"].find(
      (k) => typeof obj[k] === "string",
    );
    if (key) return clean(String(obj[key]).split("\n")[0] ?? "").slice(0, 80);
  }
  return "";
}

/**
 * Human output: the answer streams to stdout; tool activity, retries and errors go to stderr so
 * `codetether run "..." > answer.md` captures only the answer. Everything the model, a tool, a hook or a
 * provider said is printed through `clean`: none of it may drive the terminal (escape sequences).
 */
export function createTextRenderer(io: CliIO): (event: AgentEvent) => void {
  const color = useColor(io);
  const paint = (fn: (s: string) => string, s: string) => (color ? fn(s) : s);
  let atLineStart = true;
  const text = (s: string) => {
    io.stdout.write(s);
    if (s.length) atLineStart = s.endsWith("\n");
  };
  const note = (s: string) => {
    if (!atLineStart) {
      text("\n");
    }
    io.stderr.write(`${s}\n`);
  };
  return (event) => {
    switch (event.type) {
      case "text-delta":
        text(clean(event.text));
        break;
      case "tool-start":
        note(paint(dim, `› ${clean(event.tool)} ${summarizeArgs(event.args)}`.trimEnd()));
        break;
      case "tool-end":
        if (event.result.isError)
          note(paint(red, `✗ ${clean(event.tool)}: ${clean(event.result.output.split("\n")[0] ?? "")}`));
        break;
      case "retry":
        note(
          paint(
            dim,
            `… retry ${event.attempt} in ${Math.round(event.delayMs / 100) / 10}s: ${clean(event.error)}`,
          ),
        );
        break;
      case "hook-notice":
        note(paint(red, `hook (${event.event}): ${clean(event.message)}`));
        break;
      case "compaction":
        note(paint(dim, `… compacted ${event.removedMessages} messages into a summary`));
        break;
      case "done":
        if (!atLineStart) text("\n");
        if (event.reason === "max_steps")
          note(paint(red, `stopped after ${event.steps} steps (--max-steps)`));
        note(paint(cyan, `session ${event.sessionId}`));
        break;
      case "error":
        note(paint(red, `error: ${clean(event.message)}`));
        break;
      default:
        break;
    }
  };
}
