import { stat } from "node:fs/promises";
import type { ModelInfo, Provider, ResponseHook } from "@codetether/core";
import { toJsonText } from "@codetether/core";
import type { ContentType } from "./content-type.js";
import type { RlmSource } from "./environment.js";
import { runRlm } from "./run-rlm.js";

/** Parsed options of `codetether rlm "question" -f file… [--content -|text] [--json]`. */
export interface RlmCommandOptions {
  question: string;
  /** `-f/--file`, repeatable. */
  files?: string[];
  /** `--content -`: read the content from stdin. */
  contentStdin?: boolean;
  /** `--content <text>`: literal content. */
  content?: string;
  json?: boolean;
  /** `--model provider/model`; default: the configured default model. */
  model?: string;
  /** `--content-type auto|code|logs|conversation|documents` (default auto). */
  contentType?: ContentType | "auto";
  maxIterations?: number;
  maxDepth?: number;
  /** `-v`: progress on stderr. */
  verbose?: boolean;
}

export interface RlmCommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Resolves `--model` (or the default) to a provider; the CLI wires providers and config here. */
  resolveModel(model: string | undefined): Promise<{
    provider: Provider;
    model: string;
    modelInfo?: ModelInfo;
    /** The tool-router hook, for models without tool calling. */
    toolRouter?: ResponseHook;
  }>;
  signal?: AbortSignal;
}

const TYPES = ["auto", "code", "logs", "conversation", "documents"];

/** `codetether rlm`: returns the exit code (0 ok, 1 failure, 2 bad usage). */
export async function runRlmCommand(options: RlmCommandOptions, io: RlmCommandIo): Promise<number> {
  const usage = (message: string) => {
    io.stderr.write(
      `codetether rlm: ${message}\nUsage: codetether rlm "question" -f FILE [-f FILE…] | --content - [--json]\n`,
    );
    return 2;
  };
  if (!options.question?.trim()) return usage("missing the question.");
  if (options.contentType && !TYPES.includes(options.contentType)) {
    return usage(`invalid --content-type "${options.contentType}": use one of ${TYPES.join(", ")}.`);
  }
  const sources: RlmSource[] = [];
  for (const file of options.files ?? []) {
    const info = await stat(file).catch(() => undefined);
    if (!info) return usage(`file not found: ${file}`);
    if (!info.isFile()) return usage(`not a file: ${file}`);
    sources.push({ path: file });
  }
  if (options.contentStdin) sources.push({ stream: io.stdin, name: "stdin" });
  if (options.content !== undefined) sources.push({ text: options.content, name: "content" });
  if (sources.length === 0) return usage("no content: pass -f FILE or --content - (stdin).");

  try {
    const resolved = await io.resolveModel(options.model);
    const result = await runRlm({
      provider: resolved.provider,
      model: resolved.model,
      question: options.question,
      sources,
      ...(options.contentType && options.contentType !== "auto" ? { contentType: options.contentType } : {}),
      ...(options.maxIterations ? { maxIterations: options.maxIterations } : {}),
      ...(options.maxDepth ? { maxDepth: options.maxDepth } : {}),
      ...(resolved.modelInfo ? { modelSupportsTools: resolved.modelInfo.supportsTools } : {}),
      ...(resolved.toolRouter ? { toolRouter: resolved.toolRouter } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      ...(options.verbose
        ? {
            onEvent: (e) => {
              if (e.type === "tool-call")
                io.stderr.write(`${"  ".repeat(e.depth)}→ ${e.name} ${e.arguments}\n`);
              else if (e.type === "sub-query")
                io.stderr.write(
                  `${"  ".repeat(e.depth)}↳ sub-query (${e.mode}) lines ${e.startLine}-${e.endLine}: ${e.query}\n`,
                );
            },
          }
        : {}),
    });
    if (options.json) {
      const out = {
        query: options.question,
        content_type: result.content_type,
        answer: result.answer,
        iterations: result.iterations,
        sub_queries: result.sub_queries,
        finished: result.finished,
        stats: result.stats,
      };
      io.stdout.write(toJsonText(out, 2));
    } else {
      io.stdout.write(`${result.answer}\n`);
      if (options.verbose) {
        io.stderr.write(
          `${result.iterations} iterations, ${result.sub_queries} sub-queries, ${result.stats.input_tokens} in / ` +
            `${result.stats.output_tokens} out tokens, ${result.stats.elapsed_ms} ms\n`,
        );
      }
    }
    return result.finished ? 0 : 1;
  } catch (err) {
    io.stderr.write(`codetether rlm: ${(err as Error).message}\n`);
    return 1;
  }
}
