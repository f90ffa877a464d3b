import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { filePolicy, lockedFileOperation } from "./util/file-access.js";
import { snapshotStore } from "./util/file-changes.js";
import { displayPath } from "./util/paths.js";
import { fail } from "./util/result.js";
import type { ChangeSet } from "./util/snapshot-store.js";

export const undoParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      steps: z.number().int().min(1).max(50).optional().describe("Number of changes to undo (default 1)"),
      preview: z.boolean().optional().describe("Only list what would be undone"),
    }),
  ),
  TOOL_JSON_SCHEMAS.undo,
);

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
    // Lock every file the session changed (the changes to undo are known only once popped under the lock),
    // and restore each confined like a write: a path now denied or leading outside is refused.
    const files = changes.flatMap((c) => c.files.map((f) => f.path));
    return lockedFileOperation(files, async () => {
      const popped = await store.pop(ctx.sessionId, steps);
      const policy = filePolicy(ctx, "undo");
      for (const [i, change] of popped.entries()) {
        try {
          await store.restore(ctx.sessionId, change, policy);
        } catch (err) {
          // Keep what was not undone on the stack, so a later undo can retry it.
          await store.push(ctx.sessionId, popped.slice(i).reverse());
          throw err;
        }
      }
      const note =
        steps > popped.length
          ? ` (only ${popped.length} change${popped.length === 1 ? "" : "s"} recorded)`
          : "";
      return {
        output: `Undid ${popped.length} change${popped.length === 1 ? "" : "s"}${note}:\n${popped.map((c) => `- ${describe(c)}`).join("\n")}`,
        metadata: { files: [...new Set(popped.flatMap((c) => c.files.map((f) => f.path)))] },
      };
    });
  },
});
