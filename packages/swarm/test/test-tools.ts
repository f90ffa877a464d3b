import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { defineTool, isInside } from "@codetether/core";
import { z } from "zod";

/** A minimal write tool resolving against the agent's cwd (each sub-agent's worktree). */
export const writeFileTool = defineTool({
  id: "write_file",
  description: "Write a file",
  kind: "write",
  parameters: z.object({ path: z.string(), content: z.string() }),
  async execute({ path: file, content }, ctx) {
    const target = path.resolve(ctx.cwd, file);
    if (!isInside(ctx.workspaceRoot, target)) return { output: `outside workspace: ${file}`, isError: true };
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, content);
    return { output: `wrote ${file}` };
  },
});

/** Starts `sleep 60` and waits for it; the child is killed when the turn is cancelled. */
export function sleepProcessTool(pids: number[]) {
  return defineTool({
    id: "sleep_proc",
    description: "Run a long process",
    kind: "exec",
    parameters: z.object({}),
    async execute(_args, ctx) {
      const child = spawn("sleep", ["60"], { signal: ctx.signal, stdio: "ignore" });
      if (child.pid) pids.push(child.pid);
      child.on("error", () => {}); // the abort kill surfaces here
      await new Promise((resolve) => child.on("close", resolve));
      return { output: "slept" };
    },
  });
}

/** Running and not a zombie (killed orphans may wait for a reaper that containers lack). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
