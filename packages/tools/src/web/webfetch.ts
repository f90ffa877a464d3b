import {
  defineTool,
  lazySchema,
  type NetworkPolicy,
  type Tool,
  type ToolResult,
  withJsonSchema,
} from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "../generated/tool-json-schemas.js";
import { loadDescription } from "../util/description.js";
import { htmlTitle, htmlToMarkdown, htmlToText, looksLikeHtml } from "./html-convert.js";
import { loadHtmlLibs } from "./html-libs.js";
import { fetchLimited, WebFetchError } from "./http-fetch.js";

export interface WebFetchToolOptions {
  /** Default download cap in bytes (the model may lower it, not raise it past `maxBytesLimit`). */
  defaultMaxBytes?: number;
  maxBytesLimit?: number;
  /** Characters of converted output sent to the model. */
  maxOutputChars?: number;
  fetch?: typeof fetch;
  /** Non-public addresses the user allows (`[network] allow`); by default only public ones are fetched. */
  network?: NetworkPolicy;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;
const MAX_BYTES_LIMIT = 10 * 1024 * 1024;
const MAX_OUTPUT_CHARS = 100_000;

export const webfetchParams = withJsonSchema(
  lazySchema(() =>
    z.object({
      url: z.string().min(1, "url is required, e.g. https://example.com"),
      format: z.enum(["markdown", "text", "html"]).default("markdown"),
      timeout: z.number().positive().max(120).optional().describe("Seconds; default 30, max 120."),
      max_bytes: z.number().int().positive().optional().describe("Download cap in bytes; default 1 MB."),
    }),
  ),
  TOOL_JSON_SCHEMAS.webfetch,
);

const TEXTUAL =
  /^(text\/|application\/(json|xml|javascript|x-javascript|ecmascript|ld\+json|.*\+json|.*\+xml|x-yaml|yaml|toml|x-sh))/i;

function errorResult(output: string, metadata?: Record<string, unknown>): ToolResult {
  return { output, isError: true, ...(metadata ? { metadata } : {}) };
}

export function createWebFetchTool(options: WebFetchToolOptions = {}): Tool<typeof webfetchParams> {
  const maxBytesLimit = options.maxBytesLimit ?? MAX_BYTES_LIMIT;
  const maxOutputChars = options.maxOutputChars ?? MAX_OUTPUT_CHARS;
  return defineTool({
    id: "webfetch",
    description: loadDescription(new URL("./webfetch.txt", import.meta.url)),
    parameters: webfetchParams,
    kind: "network",
    async execute(args, ctx) {
      const maxBytes = Math.min(
        args.max_bytes ?? options.defaultMaxBytes ?? DEFAULT_MAX_BYTES,
        maxBytesLimit,
      );
      let response: Awaited<ReturnType<typeof fetchLimited>>;
      try {
        response = await fetchLimited(args.url, {
          maxBytes,
          timeoutMs: (args.timeout ?? 30) * 1000,
          signal: ctx.signal,
          headers: { accept: "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.8" },
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.network ? { network: options.network } : {}),
        });
      } catch (err) {
        if (err instanceof WebFetchError) return errorResult(err.message, { error: err.code });
        throw err;
      }
      const meta = {
        url: response.url,
        status: response.status,
        contentType: response.contentType,
        bytes: response.bytes,
        truncated: response.truncated,
      };
      if (response.status >= 400) {
        const snippet = response.body.slice(0, 500);
        return errorResult(
          `GET ${response.url} returned HTTP ${response.status} ${response.statusText}.` +
            (snippet ? `\nBody (start):\n${snippet}` : ""),
          { ...meta, error: "http_status" },
        );
      }
      const mime = response.contentType.split(";")[0]?.trim() ?? "";
      const html = looksLikeHtml(response.contentType, response.body);
      if (!html && mime && !TEXTUAL.test(mime)) {
        return errorResult(
          `${response.url} returned binary content (${mime}); webfetch only returns text. ` +
            "Use the image tool for images.",
          { ...meta, error: "binary" },
        );
      }
      let content = response.body;
      if (html) await loadHtmlLibs();
      if (html && args.format === "markdown") content = htmlToMarkdown(response.body);
      else if (html && args.format === "text") content = htmlToText(response.body);
      let clipped = false;
      if (content.length > maxOutputChars) {
        content = content.slice(0, maxOutputChars);
        clipped = true;
      }
      const title = html ? htmlTitle(response.body) : undefined;
      const notes: string[] = [];
      if (response.truncated) notes.push(`[download stopped at ${maxBytes} bytes; the page is longer]`);
      if (clipped) notes.push(`[output clipped to ${maxOutputChars} characters]`);
      const header = `URL: ${response.url}\n${title ? `Title: ${title}\n` : ""}Content-Type: ${mime || "unknown"}\n\n`;
      return {
        output: header + content + (notes.length ? `\n\n${notes.join("\n")}` : ""),
        metadata: { ...meta, format: html ? args.format : "raw", clipped },
      };
    },
  });
}
