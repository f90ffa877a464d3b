import {
  ConfinementError,
  createGuardedFetch,
  defineTool,
  type FetchFunction,
  lazySchema,
  NetworkGuardError,
  type NetworkPolicy,
  openFileConfined,
  withJsonSchema,
} from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { filePolicy } from "./util/file-access.js";
import { sniffImageMime } from "./util/mime-sniff.js";
import { displayPath, missingFileMessage, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";

const DEFAULT_MAX = 5 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;

/** Image types the vision APIs of every supported provider accept. */
const VIEWABLE: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export const imageParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      path: z.string().min(1).describe("Image file path or http(s) URL"),
      maxBytes: z
        .number()
        .int()
        .positive()
        .max(20 * 1024 * 1024)
        .optional()
        .describe("Size limit in bytes (default 5 MB)"),
    }),
  ),
  TOOL_JSON_SCHEMAS.image,
);

const isUrl = (p: string) => /^https?:\/\//i.test(p);

class TooLarge extends Error {}

async function download(
  fetchImage: FetchFunction,
  url: string,
  max: number,
  signal: AbortSignal,
): Promise<Buffer> {
  const response = await fetchImage(url, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText} from ${url}`);
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > max) {
    await response.body?.cancel();
    throw new TooLarge(`${declared} bytes`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      total += chunk.length;
      if (total > max) throw new TooLarge(`more than ${max} bytes`);
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

export interface ImageToolOptions {
  /** Non-public addresses image URLs may point at (`[network] allow`); default: public addresses only. */
  network?: NetworkPolicy;
}

/** The `image` tool; URLs are downloaded through the network guard. */
export function createImageTool(options: ImageToolOptions = {}) {
  const guarded = createGuardedFetch(options.network);
  return defineTool({
    id: "image",
    description: loadDescription(new URL("./image.txt", import.meta.url)),
    kind: "read",
    parameters: imageParameters,
    paths: (args) => (isUrl(args.path) ? [] : [args.path]),
    async execute(args, ctx) {
      const max = args.maxBytes ?? DEFAULT_MAX;
      let data: Buffer;
      let label: string;
      if (isUrl(args.path)) {
        label = args.path;
        try {
          data = await download(guarded, args.path, max, ctx.signal);
        } catch (err) {
          if (err instanceof TooLarge)
            return fail(`The image at ${label} is too large (${err.message}; limit ${max} bytes).`, {
              error: "too_large",
            });
          if (ctx.signal.aborted) throw err;
          if (err instanceof NetworkGuardError) return fail(err.message, { error: "blocked_address" });
          return fail(`Could not download ${label}: ${(err as Error).message}`, { error: "fetch_failed" });
        }
      } else {
        const abs = resolvePath(ctx, args.path);
        label = displayPath(ctx, abs);
        const kind = await pathKind(abs);
        if (kind === "missing") return fail(await missingFileMessage(ctx, abs), { error: "not_found" });
        if (kind !== "file") return fail(`${label} is not a file.`);
        // Opened once and checked where the descriptor really is (like read): a symlink or FIFO swapped in after
        // the permission gate is refused, not followed.
        let opened: Awaited<ReturnType<typeof openFileConfined>>;
        try {
          opened = await openFileConfined(abs, filePolicy(ctx, "image", "read"));
        } catch (err) {
          if (err instanceof ConfinementError) return fail(err.message, { error: "confinement" });
          throw err;
        }
        try {
          if (opened.size > max)
            return fail(
              `${label} is ${opened.size} bytes, over the ${max}-byte limit. Pass a larger maxBytes or resize it.`,
              {
                error: "too_large",
              },
            );
          data = await opened.handle.readFile();
        } finally {
          await opened.handle.close();
        }
      }
      const mime = sniffImageMime(data);
      if (!mime)
        return fail(
          `${label} is not a recognised image (PNG, JPEG, GIF, WebP, BMP, TIFF, ICO, AVIF or SVG).`,
          {
            error: "not_image",
          },
        );
      const base64 = data.toString("base64");
      const dataUrl = `data:${mime};base64,${base64}`;
      const metadata = { mime, bytes: data.length, dataUrl };
      // Raster types every vision API takes travel as media (the model sees the picture, not 5 MB of base64 text).
      if (VIEWABLE.has(mime))
        return {
          output: `Image ${label} (${mime}, ${data.length} bytes), attached for viewing.`,
          media: [{ mimeType: mime, data: base64 }],
          metadata,
        };
      if (mime === "image/svg+xml")
        return {
          output: `Image ${label} (${mime}, ${data.length} bytes), SVG source:\n${data.toString("utf8")}`,
          metadata,
        };
      return { output: `Image ${label} (${mime}, ${data.length} bytes):\n${dataUrl}`, metadata };
    },
  });
}

export const imageTool = createImageTool();
