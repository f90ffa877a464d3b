import fs from "node:fs/promises";
import path from "node:path";
import type { ToolContext } from "@codetether/core";

/** Resolves a tool path argument against the call's cwd. */
export function resolvePath(ctx: ToolContext, p: string): string {
  return path.resolve(ctx.cwd, p);
}

/** Path shown to the model: relative to the workspace when inside it, otherwise absolute. */
export function displayPath(ctx: ToolContext, abs: string): string {
  const rel = path.relative(ctx.workspaceRoot, abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : abs;
}

export type PathKind = "file" | "directory" | "other" | "missing";

export async function pathKind(abs: string): Promise<PathKind> {
  try {
    const st = await fs.stat(abs);
    return st.isFile() ? "file" : st.isDirectory() ? "directory" : "other";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR")
      return "missing";
    throw err;
  }
}

/** A "no such file" message that names siblings with similar names, so the model can correct itself. */
export async function missingFileMessage(ctx: ToolContext, abs: string): Promise<string> {
  const dir = path.dirname(abs);
  const base = path.basename(abs).toLowerCase();
  let hints: string[] = [];
  try {
    const names = await fs.readdir(dir);
    hints = names
      .filter((n) => {
        const l = n.toLowerCase();
        return l.includes(base) || base.includes(l.replace(/\.[^.]+$/, ""));
      })
      .slice(0, 5);
  } catch {
    // directory missing too
  }
  return (
    `File not found: ${displayPath(ctx, abs)}.` +
    (hints.length
      ? ` Did you mean: ${hints.map((h) => displayPath(ctx, path.join(dir, h))).join(", ")}?`
      : "") +
    " Use the list or glob tool to find the right path."
  );
}
