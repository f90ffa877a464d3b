import path from "node:path";
import { defineTool, type Tool, type ToolContext, type ToolResult } from "@codetether/core";
import { editTool, formatReadWindow, readTool, writeTool } from "@codetether/tools";
import type { AcpFileSystem } from "./acp-file-system.js";

function fail(output: string, metadata?: Record<string, unknown>): ToolResult {
  return { output, isError: true, ...(metadata ? { metadata } : {}) };
}

function absolute(ctx: ToolContext, p: string): string {
  return path.resolve(ctx.cwd, p);
}

function shown(ctx: ToolContext, abs: string): string {
  const rel = path.relative(ctx.cwd, abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Reads a file through the editor; undefined when it does not exist (or cannot be read). */
async function tryRead(fs: AcpFileSystem, ctx: ToolContext, abs: string) {
  try {
    return { ok: true as const, content: await fs.readTextFile(ctx.sessionId, abs) };
  } catch (err) {
    return { ok: false as const, error: errorText(err) };
  }
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

/** `read` over the editor's buffers: same parameters and output format as the local tool. */
function createAcpReadTool(fs: AcpFileSystem) {
  return defineTool({
    ...readTool,
    async execute(args, ctx) {
      const abs = absolute(ctx, args.path);
      const read = await tryRead(fs, ctx, abs);
      if (!read.ok)
        return fail(`Could not read ${shown(ctx, abs)} through the editor: ${read.error}`, {
          error: "not_found",
        });
      const window = formatReadWindow(splitLines(read.content), shown(ctx, abs), args.offset, args.limit);
      if (!window.ok) return fail(window.error);
      return { output: window.output, metadata: { path: abs, ...window.stats } };
    },
  });
}

/** `write` through the editor; the diff (old → new) is kept in metadata for the tool-call update. */
function createAcpWriteTool(fs: AcpFileSystem) {
  return defineTool({
    ...writeTool,
    async execute(args, ctx) {
      const abs = absolute(ctx, args.path);
      const before = await tryRead(fs, ctx, abs);
      try {
        await fs.writeTextFile(ctx.sessionId, abs, args.content);
      } catch (err) {
        return fail(`Could not write ${shown(ctx, abs)} through the editor: ${errorText(err)}`);
      }
      const lines = splitLines(args.content).length;
      const bytes = Buffer.byteLength(args.content);
      return {
        output: `${before.ok ? "Wrote" : "Created"} ${shown(ctx, abs)} (${lines} lines, ${bytes} bytes).`,
        metadata: {
          path: abs,
          created: !before.ok,
          bytes,
          diff: { path: abs, oldText: before.ok ? before.content : null, newText: args.content },
        },
      };
    },
  });
}

/** `edit` (exact string replacement) over the editor's buffers. */
function createAcpEditTool(fs: AcpFileSystem) {
  return defineTool({
    ...editTool,
    async execute(args, ctx) {
      const abs = absolute(ctx, args.path);
      const before = await tryRead(fs, ctx, abs);
      if (args.oldString === "") {
        if (before.ok)
          return fail(
            `oldString is empty but ${shown(ctx, abs)} already exists. Give the text to replace, or use write to replace the whole file.`,
          );
        return writeThrough(fs, ctx, abs, null, args.newString, `Created ${shown(ctx, abs)}.`, 1);
      }
      if (!before.ok)
        return fail(`Could not read ${shown(ctx, abs)} through the editor: ${before.error}`, {
          error: "edit_failed",
        });
      if (args.oldString === args.newString)
        return fail("oldString and newString are identical; nothing to change.", { error: "edit_failed" });
      const count = countOccurrences(before.content, args.oldString);
      if (count === 0)
        return fail(
          `oldString was not found in ${shown(ctx, abs)}. Read the file again and copy the exact text (including whitespace).`,
          { error: "edit_failed" },
        );
      if (count > 1 && !args.replaceAll)
        return fail(
          `oldString occurs ${count} times in ${shown(ctx, abs)}. Add surrounding lines to make it unique, or set replaceAll.`,
          { error: "edit_failed" },
        );
      const next = args.replaceAll
        ? before.content.split(args.oldString).join(args.newString)
        : before.content.replace(args.oldString, () => args.newString);
      const n = args.replaceAll ? count : 1;
      const message = `Edited ${shown(ctx, abs)}: ${n} replacement${n === 1 ? "" : "s"}.`;
      return writeThrough(fs, ctx, abs, before.content, next, message, n);
    },
  });
}

async function writeThrough(
  fs: AcpFileSystem,
  ctx: ToolContext,
  abs: string,
  oldText: string | null,
  newText: string,
  message: string,
  replacements: number,
): Promise<ToolResult> {
  try {
    await fs.writeTextFile(ctx.sessionId, abs, newText);
  } catch (err) {
    return fail(`Could not write ${shown(ctx, abs)} through the editor: ${errorText(err)}`);
  }
  return {
    output: message,
    metadata: { path: abs, created: oldText === null, replacements, diff: { path: abs, oldText, newText } },
  };
}

/**
 * File tools backed by the editor. They keep the ids, parameters, descriptions and permission paths of
 * the local tools, so they replace them one for one (`extraTools`). Which ones depends on what the
 * client advertised: `edit` needs both read and write.
 */
export function createAcpFileTools(fs: AcpFileSystem, caps: { read: boolean; write: boolean }): Tool[] {
  const tools: Tool[] = [];
  if (caps.read) tools.push(createAcpReadTool(fs) as unknown as Tool);
  if (caps.write) tools.push(createAcpWriteTool(fs) as unknown as Tool);
  if (caps.read && caps.write) tools.push(createAcpEditTool(fs) as unknown as Tool);
  return tools;
}
