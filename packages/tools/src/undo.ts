import { defineTool } from "@codetether/core";
import { z } from "zod";
import { loadDescription } from "./util/description.js";
import { snapshotStore } from "./util/file-changes.js";
import { displayPath } from "./util/paths.js";
import { fail } from "./util/result.js";
import type { ChangeSet } from "./util/snapshot-store.js";

export const undoParameters = z.object({
  steps: z.number().int().min(1).max(50).optional().describe("Number of changes to undo (default 1)"),
  preview: z.boolean().optional().describe("Only list what would be undone"),
});

export const undoTool = defineTool({
  id: "undo",
  description: loadDescription(new URL("./undo.txt", import.meta.url)),
  kind: "write",
  parameters: undoParameters,
  async execute(args, ctx) {
    const store = snapshotStore(ctx);
    const steps = args.steps ?? 1;
    const changes = await store.list(ctx.sessionId);
    if (changes.length === 0)
      return fail("There is nothing to undo: no file changes were recorded in this session.");
    const describe = (c: ChangeSet) =>
      `${c.tool}: ${c.files.map((f) => `${displayPath(ctx, f.path)}${f.existed ? "" : " (created)"}`).join(", ")}`;
    if (args.preview) {
      const next = changes.slice(-steps).reverse();
      return { output: `Would undo, newest first:\n${next.map((c) => `- ${describe(c)}`).join("\n")}` };
    }
    const popped = await store.pop(ctx.sessionId, steps);
    for (const change of popped) await store.restore(ctx.sessionId, change);
    const note =
      steps > popped.length
        ? ` (only ${popped.length} change${popped.length === 1 ? "" : "s"} recorded)`
        : "";
    return {
      output: `Undid ${popped.length} change${popped.length === 1 ? "" : "s"}${note}:\n${popped.map((c) => `- ${describe(c)}`).join("\n")}`,
      metadata: { files: [...new Set(popped.flatMap((c) => c.files.map((f) => f.path)))] },
    };
  },
});
