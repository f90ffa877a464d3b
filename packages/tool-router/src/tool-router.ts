import { randomUUID } from "node:crypto";
import path from "node:path";
import {
  type CollectedResponse,
  cacheDir,
  type Message,
  type ToolCallPart,
  type ToolDefinition,
} from "@codetether/core";
import { DEFAULT_BOUNDS, routerOutputSchema, type SchemaBounds } from "./call-schema.js";
import { buildRouterPrompt } from "./functiongemma-format.js";
import { loadLlamaCppModel } from "./llama-cpp-model.js";
import { type ModelHost, sharedModelHost } from "./model-host.js";
import {
  resolveToolRouterConfig,
  type ToolRouterConfig,
  type ToolRouterConfigKeys,
} from "./router-config.js";
import type { RouterModelLoader } from "./router-model.js";
import { validateJson } from "./validate-json.js";

export interface ToolRouterOptions {
  /** Resolved settings; default: from `env` and `config` (see `resolveToolRouterConfig`). */
  settings?: ToolRouterConfig;
  env?: Record<string, string | undefined>;
  config?: ToolRouterConfigKeys;
  /** Default: node-llama-cpp. */
  loader?: RouterModelLoader;
  /** Parallel routings sharing the model (default 2). */
  concurrency?: number;
  contextSize?: number;
  /** CPU threads (default: node-llama-cpp's choice; use 1 for tiny test models). */
  threads?: number;
  /** Give up and keep the original response after this long (default 30 s). */
  timeoutMs?: number;
  idleUnloadMs?: number;
  retryLoadAfterMs?: number;
  seed?: number;
  bounds?: Partial<SchemaBounds>;
  /**
   * Route only answers that mention a tool by name (case-insensitive), as the original router did.
   * Stops a text-only model's plain final answer ("Done.") from being turned into calls.
   */
  requireToolMention?: boolean;
  /** Messages of the conversation shown to the router (default 6). */
  tailMessages?: number;
  /** Where the router explains itself (skips, failures); default: stderr. Never receives secrets. */
  log?: (line: string) => void;
  /** Directory for `hf:` models (default: `<cache>/models`). */
  modelsDir?: string;
}

export interface RouteInput {
  /** The assistant's text answer. */
  text: string;
  tail?: readonly Message[];
  tools: readonly ToolDefinition[];
  signal?: AbortSignal;
}

export interface ShouldRouteInput {
  response: CollectedResponse;
  tools: readonly ToolDefinition[] | undefined;
  /** Whether the answering model has native tool calling (from the model catalog). */
  modelSupportsTools: boolean;
  /** Route even for tool-capable models or when disabled by config. */
  force?: boolean;
}

function responseText(response: CollectedResponse): string {
  return response.message.content
    .filter((p) => p.type === "text")
    .map((p) => (p.type === "text" ? p.text : ""))
    .join("")
    .trim();
}

/**
 * Turns a text-only model answer into tool calls with a small local model (FunctionGemma) and
 * grammar-constrained decoding. The model is loaded on the first routing only.
 */
export class ToolRouter {
  readonly settings: ToolRouterConfig;
  private readonly options: ToolRouterOptions;
  private readonly bounds: SchemaBounds;
  private hostInstance: ModelHost | undefined;
  private readonly log: (line: string) => void;

  constructor(options: ToolRouterOptions = {}) {
    this.options = options;
    this.settings =
      options.settings ??
      resolveToolRouterConfig({
        env: options.env ?? process.env,
        ...(options.config ? { config: options.config } : {}),
      });
    this.bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
    const sink = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    this.log = (line) => sink(`[tool-router] ${line}`);
  }

  /** The shared model host, created on first use (creating it does not load the model). */
  get host(): ModelHost {
    if (!this.hostInstance) {
      if (!this.settings.modelPath) {
        throw new Error("no model configured: set CODETETHER_TOOL_ROUTER_MODEL_PATH");
      }
      this.hostInstance = sharedModelHost({
        loader: this.options.loader ?? loadLlamaCppModel,
        modelPath: this.settings.modelPath,
        arch: this.settings.arch,
        device: this.settings.device,
        sequences: this.options.concurrency ?? 2,
        contextSize: this.options.contextSize ?? 4_096,
        threads: this.options.threads ?? 0,
        modelsDir: this.options.modelsDir ?? path.join(cacheDir(), "models"),
        idleUnloadMs: this.options.idleUnloadMs ?? 5 * 60_000,
        retryLoadAfterMs: this.options.retryLoadAfterMs ?? 60_000,
        log: this.log,
      });
    }
    return this.hostInstance;
  }

  /**
   * Whether a response needs routing: never when it already has tool calls, there are no tools or no
   * text; otherwise only for models without native tool calling (or when forced), and only if enabled.
   */
  shouldRoute(input: ShouldRouteInput): boolean {
    if (!input.tools?.length) return false;
    if (input.response.message.content.some((p) => p.type === "tool_call")) return false;
    const text = responseText(input.response);
    if (!text) return false;
    if (this.options.requireToolMention) {
      const lower = text.toLowerCase();
      if (!input.tools.some((t) => lower.includes(t.name.toLowerCase()))) return false;
    }
    if (input.force) return true;
    return this.settings.enabled && !input.modelSupportsTools;
  }

  /** Runs the router model; returns the calls it found (possibly none). Throws on failure. */
  async route(input: RouteInput): Promise<ToolCallPart[]> {
    if (input.tools.length === 0) return [];
    const prompt = buildRouterPrompt({
      text: input.text,
      tail: (input.tail ?? []).slice(-(this.options.tailMessages ?? 6)),
      tools: input.tools,
    });
    const schema = routerOutputSchema(input.tools, this.bounds);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
    const raw = await this.host.generate(prompt, schema, {
      maxTokens: this.settings.maxTokens,
      temperature: this.settings.temperature,
      ...(this.options.seed !== undefined ? { seed: this.options.seed } : {}),
      signal,
    });
    return this.parse(raw, input.tools);
  }

  /** Parses router output into tool calls, dropping any call whose arguments fail the tool's schema. */
  parse(raw: string, tools: readonly ToolDefinition[]): ToolCallPart[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // Neither the text nor JSON.parse's message (which quotes it) is logged: it may hold secrets.
      throw new Error(`router output is not JSON (${raw.length} chars)`);
    }
    const calls = (parsed as { calls?: unknown }).calls;
    if (!Array.isArray(calls)) throw new Error(`router output has no "calls" array (${raw.length} chars)`);
    const out: ToolCallPart[] = [];
    for (const call of calls as Array<{ name?: unknown; arguments?: unknown }>) {
      const tool = tools.find((t) => t.name === call?.name);
      if (!tool) {
        this.log(`dropped a call to unknown tool ${JSON.stringify(call?.name)}`);
        continue;
      }
      const problems = validateJson(call.arguments ?? {}, tool.parameters);
      if (problems.length) {
        this.log(`dropped a call to "${tool.name}": ${problems.slice(0, 3).join("; ")}`);
        continue;
      }
      out.push({
        type: "tool_call",
        id: `route_${randomUUID()}`,
        name: tool.name,
        arguments: JSON.stringify(call.arguments ?? {}),
      });
    }
    return out;
  }

  /**
   * Safe wrapper for the agent loop: routes when {@link shouldRoute} says so and returns the response
   * with the tool calls appended (text kept, finish reason `tool_calls`). On any error or timeout it
   * logs why and returns the original response unchanged.
   */
  async maybeRoute(
    input: ShouldRouteInput & { tail?: readonly Message[]; signal?: AbortSignal },
  ): Promise<CollectedResponse> {
    if (!this.shouldRoute(input)) return input.response;
    const started = performance.now();
    try {
      const calls = await this.route({
        text: responseText(input.response),
        tools: input.tools ?? [],
        ...(input.tail ? { tail: input.tail } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      });
      if (calls.length === 0) return input.response;
      this.log(
        `routed ${calls.length} call(s) in ${Math.round(performance.now() - started)} ms: ${calls.map((c) => c.name).join(", ")}`,
      );
      return {
        ...input.response,
        message: { ...input.response.message, content: [...input.response.message.content, ...calls] },
        finishReason: "tool_calls",
      };
    } catch (err) {
      const reason = input.signal?.aborted ? "cancelled" : (err as Error).message || String(err);
      this.log(`routing failed, keeping the original response: ${reason}`);
      return input.response;
    }
  }

  /** Unloads the shared model now. */
  async dispose(): Promise<void> {
    await this.hostInstance?.unload();
  }
}
