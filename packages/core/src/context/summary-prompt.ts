import type { Message } from "../messages.js";

/** Instructions for the summariser; the four sections are what a resumed agent needs to go on. */
export const SUMMARY_SYSTEM_PROMPT = `You compact the history of a coding-agent session so the agent can continue without it.
Write a structured summary in Markdown with exactly these sections:

## Goal
What the user wants overall, in their terms, including constraints they stated.

## Decisions
Choices made and why (approaches taken or rejected, conventions agreed, answers the user gave).

## Files touched
Every file read, created or edited, one per line as "- path: what was done / what matters in it".

## Open tasks
What is still to do, in order, including failing tests or errors not yet fixed.

Be specific: keep names, paths, commands, error messages and numbers. Do not invent anything.
If a previous summary is given, merge it with the new history into one summary.`;

/** Renders messages as a plain transcript for the summariser; long tool outputs are clipped. */
export function renderTranscript(messages: readonly Message[], maxToolChars = 2_000): string {
  const lines: string[] = [];
  for (const message of messages) {
    for (const part of message.content) {
      switch (part.type) {
        case "text":
          lines.push(`[${message.role}]: ${part.text}`);
          break;
        case "tool_call":
          lines.push(`[assistant called ${part.name}]: ${part.arguments}`);
          break;
        case "tool_result": {
          const text =
            part.content.length > maxToolChars
              ? `${part.content.slice(0, maxToolChars)}\n[… ${part.content.length - maxToolChars} more chars]`
              : part.content;
          lines.push(`[tool result${part.is_error ? " (error)" : ""}]: ${text}`);
          break;
        }
        case "file":
          lines.push(`[${message.role} attached file]: ${part.path}`);
          break;
        case "image":
          lines.push(`[${message.role} attached an image]`);
          break;
        case "thinking":
          break;
      }
    }
  }
  return lines.join("\n");
}

const PATH_KEYS = new Set(["path", "file", "file_path", "filePath", "filename", "paths", "files"]);

/** Paths named in tool-call arguments, in first-seen order (a checklist for the "Files touched" section). */
export function filesTouched(messages: readonly Message[]): string[] {
  const seen = new Set<string>();
  const visit = (value: unknown, key?: string): void => {
    if (typeof value === "string") {
      if (key && PATH_KEYS.has(key) && value.length < 500) seen.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  for (const message of messages) {
    for (const part of message.content) {
      if (part.type !== "tool_call") continue;
      try {
        visit(JSON.parse(part.arguments));
      } catch {
        // unparseable arguments name no files
      }
    }
  }
  return [...seen];
}
