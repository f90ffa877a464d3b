import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import {
  ConfinementError,
  defineTool,
  isInside,
  lazySchema,
  noToolModel,
  openFileConfined,
  type Provider,
  type ResponseHook,
  type Tool,
  toolFilePolicy,
  toolModel,
  withJsonSchema,
} from "@codetether/core";
import { z } from "zod";
import type { RlmSource } from "./environment.js";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { type RunRlmOptions, runRlm } from "./run-rlm.js";

export interface RlmToolOptions {
  /** With `model`: the model RLM runs on. Without: the calling agent's current model (`toolModel`). */
  provider?: Provider;
  model?: string;
  modelSupportsTools?: boolean;
  toolRouter?: ResponseHook;
  maxIterations?: number;
  maxDepth?: number;
  /** Extra roots files may come from besides the workspace (`permissions.allowed_paths`). */
  allowedPaths?: string[];
  /** Passed through to every run (output caps, chunk sizes, events). */
  runOptions?: Partial<Omit<RunRlmOptions, "provider" | "model" | "question" | "sources">>;
}

export const rlmParameters = withJsonSchema(
  lazySchema(() =>
    z
      .object({
        question: z.string().min(1).describe("What to find out about the content"),
        paths: z
          .array(z.string().min(1))
          .max(50)
          .optional()
          .describe("Files to analyse (relative to the working directory)"),
        content: z.string().optional().describe("Text to analyse instead of files"),
      })
      .refine((a) => (a.paths?.length ?? 0) > 0 || a.content !== undefined, {
        message: "give paths or content",
      }),
  ),
  TOOL_JSON_SCHEMAS.rlm,
);

/**
 * The `rlm` tool for an agent's tool set: answers a question about files (or text) too large for the
 * context, through {@link runRlm}. Files must be inside the workspace or `allowedPaths`.
 */
export function createRlmTool(options: RlmToolOptions): Tool {
  return defineTool({
    id: "rlm",
    description:
      "Answer a question about files or text too large to read into the conversation (big logs, long " +
      "documents, whole source files). A sub-model explores the content with search and slicing tools and " +
      "returns a concise answer.",
    kind: "read",
    parameters: rlmParameters,
    paths: (args) => args.paths ?? [],
    async execute(args, ctx) {
      const files: string[] = [];
      for (const p of args.paths ?? []) {
        const absolute = path.resolve(ctx.cwd, p);
        const roots = [ctx.workspaceRoot, ...(options.allowedPaths ?? [])];
        if (!roots.some((root) => isInside(root, absolute))) {
          return {
            output: `Refusing to read ${p}: it is outside the workspace (${ctx.workspaceRoot}). Use a path inside it.`,
            isError: true,
          };
        }
        files.push(absolute);
      }
      const chosen = toolModel(ctx, options);
      if (!chosen) return noToolModel("rlm");
      // Each file is opened once, confined like the file tools' reads (real path inside the roots, deny rules,
      // regular files only), and its content spooled from that descriptor: a symlink or FIFO a parallel bash call
      // swaps in after the permission gate cannot redirect the read.
      const handles: FileHandle[] = [];
      const sources: RlmSource[] = [];
      try {
        const policy = toolFilePolicy(ctx, "rlm", "read", options.allowedPaths ?? []);
        for (const file of files) {
          const { handle } = await openFileConfined(file, policy);
          handles.push(handle);
          sources.push({ stream: handle.createReadStream({ autoClose: false }), name: file });
        }
      } catch (err) {
        await Promise.all(handles.map((h) => h.close()));
        if (err instanceof ConfinementError) return { output: err.message, isError: true };
        throw err;
      }
      if (args.content !== undefined) sources.push(args.content);
      const result = await runRlm({
        ...options.runOptions,
        provider: chosen.provider,
        model: chosen.model,
        question: args.question,
        sources,
        signal: ctx.signal,
        ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
        ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
        ...(options.modelSupportsTools !== undefined
          ? { modelSupportsTools: options.modelSupportsTools }
          : {}),
        ...(options.toolRouter ? { toolRouter: options.toolRouter } : {}),
      }).finally(() => Promise.all(handles.map((h) => h.close().catch(() => {}))));
      return {
        output: result.answer,
        metadata: {
          iterations: result.iterations,
          sub_queries: result.sub_queries,
          stats: result.stats,
          content_type: result.content_type,
          total_lines: result.total_lines,
          finished: result.finished,
        },
      };
    },
  }) as Tool;
}
