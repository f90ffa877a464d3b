import { defineTool, lazySchema, type Tool, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "../generated/tool-json-schemas.js";
import type { ResultStore, SharedResult } from "./result-store.js";
import description from "./swarm-share.txt";

/** Name of the service under which sub-agents receive their subtask id (`ctx.services`). */
export const SUBTASK_SERVICE = "swarmSubtaskId";

export const swarmShareParameters = withJsonSchema(
  lazySchema(() =>
    z.discriminatedUnion("action", [
      z.object({
        action: z.literal("publish"),
        key: z.string(),
        value: z.string(),
        tags: z.array(z.string().max(100)).max(20).default([]),
      }),
      z.object({ action: z.literal("get"), key: z.string() }),
      z.object({
        action: z.literal("query"),
        prefix: z.string().optional(),
        tags: z.array(z.string()).optional(),
      }),
    ]),
  ),
  TOOL_JSON_SCHEMAS.swarm_share,
);

function render(entry: SharedResult): string {
  return `[${entry.key}] from ${entry.producer} tags=${entry.tags.join(",") || "-"}\n${entry.value}`;
}

/**
 * The `swarm_share` tool. One instance per run, shared by every sub-agent: the producer id comes from
 * the calling agent's services, so no per-agent tool copies are needed.
 */
export function createSwarmShareTool(store: ResultStore): Tool {
  return defineTool({
    id: "swarm_share",
    description,
    kind: "other",
    parameters: swarmShareParameters,
    async execute(args, ctx) {
      const producer = String(ctx.services?.[SUBTASK_SERVICE] ?? ctx.sessionId);
      try {
        if (args.action === "publish") {
          const entry = store.publish({ key: args.key, value: args.value, tags: args.tags, producer });
          return { output: `Published "${entry.key}".`, metadata: { key: entry.key } };
        }
        if (args.action === "get") {
          const entry = store.get(args.key);
          if (!entry) {
            const keys = store.query().map((e) => e.key);
            return {
              output: `No entry "${args.key}". Keys: ${keys.slice(0, 50).join(", ") || "(none yet)"}.`,
              isError: true,
            };
          }
          return { output: render(entry) };
        }
        const hits = store.query({
          ...(args.prefix ? { prefix: args.prefix } : {}),
          ...(args.tags ? { tags: args.tags } : {}),
        });
        if (!hits.length) return { output: "No matching entries." };
        return { output: hits.map(render).join("\n\n"), metadata: { count: hits.length } };
      } catch (err) {
        return { output: (err as Error).message, isError: true };
      }
    },
  });
}
