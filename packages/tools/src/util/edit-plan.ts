import { ConfinementError, readFileConfined, type ToolContext } from "@codetether/core";
import { replaceInContent } from "./edit-matchers.js";
import { filePolicy } from "./file-access.js";
import { displayPath, missingFileMessage, pathKind } from "./paths.js";
import { isBinary } from "./text.js";
import { decodeText, type TextFormat, toWorkingText } from "./text-format.js";

export interface EditSpec {
  oldString: string;
  newString: string;
  replaceAll?: boolean;
}

/**
 * Applies `edit` to `content` (the working text of a file of `format`, see {@link readForEdit}) in memory,
 * or explains exactly why it cannot be applied.
 */
export function planEdit(
  ctx: ToolContext,
  abs: string,
  content: string,
  edit: EditSpec,
  format: TextFormat,
): { ok: true; content: string; matcher: string; replacements: number } | { ok: false; error: string } {
  const where = displayPath(ctx, abs);
  if (edit.oldString === edit.newString)
    return { ok: false, error: `oldString and newString are identical for ${where}; nothing to change.` };
  // The working text has LF line endings whatever the file uses; so must the model's strings (it may send CRLF).
  const outcome = replaceInContent(
    content,
    toWorkingText(edit.oldString, format),
    toWorkingText(edit.newString, format),
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

/**
 * Reads a text file to be edited (confined like a write: a symlink to outside or to a denied path is refused)
 * and returns its working text (no BOM, LF line endings) and its format, to write it back the same way.
 */
export async function readForEdit(
  ctx: ToolContext,
  abs: string,
  toolId: string,
): Promise<{ ok: true; content: string; format: TextFormat } | { ok: false; error: string }> {
  const kind = await pathKind(abs);
  if (kind === "missing") return { ok: false, error: await missingFileMessage(ctx, abs) };
  if (kind !== "file") return { ok: false, error: `${displayPath(ctx, abs)} is not a regular file.` };
  let data: Buffer;
  try {
    data = (await readFileConfined(abs, filePolicy(ctx, toolId))).data;
  } catch (err) {
    if (err instanceof ConfinementError) return { ok: false, error: err.message };
    throw err;
  }
  if (isBinary(data))
    return { ok: false, error: `${displayPath(ctx, abs)} is a binary file; it cannot be edited.` };
  const { text, format } = decodeText(data.toString("utf8"));
  return { ok: true, content: text, format };
}
