import path from "node:path";
import { isInside, type ToolContext } from "@codetether/core";

/** Resolves a model-supplied path against the agent's cwd; refuses paths outside the workspace. */
export function workspacePath(file: string, ctx: ToolContext): string {
  const resolved = path.resolve(ctx.cwd, file);
  if (!isInside(ctx.workspaceRoot, resolved))
    throw new Error(`Path "${file}" is outside the workspace ${ctx.workspaceRoot}; use a path inside it.`);
  return resolved;
}
