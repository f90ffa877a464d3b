import os from "node:os";
import { loadAgentsMd } from "./agents-md.js";

const BASE_PROMPT = `You are codetether, an AI coding agent working in the user's repository.
Work autonomously: inspect files before changing them, make focused edits, run checks when you can,
and finish with a short summary of what you did. Use the tools provided; never invent file contents.
Paths are relative to the working directory unless absolute. Keep answers concise.`;

/** The default system prompt: base instructions, environment, and every AGENTS.md in scope. */
export function buildSystemPrompt(options: { cwd: string; override?: string; now?: Date }): string {
  const parts = [options.override ?? BASE_PROMPT];
  parts.push(
    [
      "<environment>",
      `working directory: ${options.cwd}`,
      `platform: ${process.platform} (${os.release()})`,
      `date: ${(options.now ?? new Date()).toISOString().slice(0, 10)}`,
      "</environment>",
    ].join("\n"),
  );
  for (const file of loadAgentsMd(options.cwd)) {
    parts.push(`<instructions source="${file.path}">\n${file.content.trim()}\n</instructions>`);
  }
  return parts.join("\n\n");
}
