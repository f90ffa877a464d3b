import fs from "node:fs/promises";
import type { ToolContext } from "@codetether/core";
import { replaceInContent } from "./edit-matchers.js";
import { displayPath, missingFileMessage, pathKind } from "./paths.js";
import { isBinary } from "./text.js";

export interface EditSpec {
  oldString: string;
  newString: string;
  replaceAll?: boolean;
}

/** Applies `edit` to `content` in memory, or explains exactly why it cannot be applied. */
export function planEdit(
  ctx: ToolContext,
  abs: string,
  content: string,
  edit: EditSpec,
): { ok: true; content: string; matcher: string; replacements: number } | { ok: false; error: string } {
  const where = displayPath(ctx, abs);
  if (edit.oldString === edit.newString)
    return { ok: false, error: `oldString and newString are identical for ${where}; nothing to change.` };
  // Models write "\n"; keep a CRLF file CRLF instead of matching nothing or mixing line endings.
  const crlf = content.includes("\r\n");
  const toFile = (text: string) => (crlf ? text.replace(/\r?\n/g, "\r\n") : text);
  const outcome = replaceInContent(
    content,
    toFile(edit.oldString),
    toFile(edit.newString),
    edit.replaceAll ?? false,
  );
  if (outcome.ok) return outcome;
  if (outcome.reason === "ambiguous")
    return {
      ok: false,
      error:
        `oldString matches ${outcome.matches} places in ${where} (${outcome.matcher} match); nothing was changed. ` +
        "Include more surrounding lines to make it unique, or set replaceAll to change every occurrence.",
    };
  return {
    ok: false,
    error:
      `oldString was not found in ${where} (tried exact, line-trimmed, whitespace-normalized, ` +
      "indentation-flexible and block-anchor matching); nothing was changed. Read the file again and copy " +
      "the text exactly, including indentation.",
  };
}

/** Reads a text file to be edited, or returns an actionable error. */
export async function readForEdit(
  ctx: ToolContext,
  abs: string,
): Promise<{ ok: true; content: string } | { ok: false; error: string }> {
  const kind = await pathKind(abs);
  if (kind === "missing") return { ok: false, error: await missingFileMessage(ctx, abs) };
  if (kind !== "file") return { ok: false, error: `${displayPath(ctx, abs)} is not a regular file.` };
  const data = await fs.readFile(abs);
  if (isBinary(data))
    return { ok: false, error: `${displayPath(ctx, abs)} is a binary file; it cannot be edited.` };
  return { ok: true, content: data.toString("utf8") };
}
