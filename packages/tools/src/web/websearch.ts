import { defineTool, lazySchema, type Tool, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "../generated/tool-json-schemas.js";
import { loadDescription } from "../util/description.js";
import { DuckDuckGoHtmlBackend } from "./duckduckgo-backend.js";
import { WebFetchError } from "./http-fetch.js";
import type { SearchBackend } from "./search-backend.js";

export const websearchParams = withJsonSchema(
  lazySchema(() =>
    z.object({
      query: z
        .string()
        .trim()
        .min(1, "query must not be empty")
        .max(500, "query is too long; keep it under 500 characters"),
      max_results: z.number().int().min(1).max(20).default(5),
    }),
  ),
  TOOL_JSON_SCHEMAS.websearch,
);

export interface WebSearchToolOptions {
  /** Defaults to scraping DuckDuckGo's HTML endpoint. */
  backend?: SearchBackend;
}

export function createWebSearchTool(options: WebSearchToolOptions = {}): Tool<typeof websearchParams> {
  const backend = options.backend ?? new DuckDuckGoHtmlBackend();
  return defineTool({
    id: "websearch",
    description: loadDescription(new URL("./websearch.txt", import.meta.url)),
    parameters: websearchParams,
    kind: "network",
    async execute(args, ctx) {
      let results: Awaited<ReturnType<SearchBackend["search"]>>;
      try {
        results = await backend.search(args.query, { limit: args.max_results, signal: ctx.signal });
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        return {
          output: `websearch (${backend.name}) failed: ${(err as Error).message}`,
          isError: true,
          metadata: {
            backend: backend.name,
            error: err instanceof WebFetchError ? err.code : "search_failed",
          },
        };
      }
      if (results.length === 0) {
        return {
          output: `No results for "${args.query}". Try fewer or different keywords.`,
          metadata: { backend: backend.name, count: 0 },
        };
      }
      const lines = results.map(
        (r, i) => `${i + 1}. ${r.title || "(untitled)"}\n   ${r.url}${r.snippet ? `\n   ${r.snippet}` : ""}`,
      );
      return {
        output: `Results for "${args.query}" (${backend.name}):\n\n${lines.join("\n\n")}`,
        metadata: { backend: backend.name, count: results.length, results },
      };
    },
  });
}
