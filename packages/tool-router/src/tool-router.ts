import { randomUUID } from "node:crypto";
import path from "node:path";
import {
  type CollectedResponse,
  type DownloadProgress,
  dataDir,
  type Message,
  type ToolCallPart,
  type ToolDefinition,
} from "@codetether/core";
import { functionGemmaPromptSegments, type PromptSegment } from "./functiongemma-format.js";
import { DEFAULT_BOUNDS, functionGemmaGrammar, type SchemaBounds } from "./functiongemma-grammar.js";
import { parseFunctionGemmaCalls } from "./functiongemma-parse.js";
import { loadLlamaCppModel } from "./llama-cpp-model.js";
import { type ModelHost, sharedModelHost } from "./model-host.js";
import {
  resolveToolRouterConfig,
  type ToolRouterConfig,
  type ToolRouterConfigKeys,
} from "./router-config.js";
import type { RouterModel, RouterModelLoader } from "./router-model.js";
import { type RoutingReport, RoutingSkipped } from "./routing-report.js";
import { selectTools } from "./tool-selection.js";
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
  /** Overrides `settings.contextSize` (the cap of the context per routing). */
  contextSize?: number;
  /** Overrides `settings.maxTools`. */
  maxTools?: number;
  /** CPU threads (default: node-llama-cpp's choice; use 1 for tiny test models). */
  threads?: number;
  /** Give up and keep the original response after this long (default 30 s; a first-use download is extra). */
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
  /** Longest answer given to the router, in characters (default 4000; the start is kept). */
  maxAnswerChars?: number;
  /** Where the router explains itself (skips, failures); default: stderr. Never receives secrets. */
  log?: (line: string) => void;
  /** Directory for `hf:` models (default: `<data>/models`, shared with the local provider). */
  modelsDir?: string;
  /** Download progress of the default model on first use (default: a line per 10% through `log`). */
  onDownloadProgress?: (progress: DownloadProgress) => void;
}

export interface RouteInput {
  /** The assistant's text answer. */
  text: string;
  /** Earlier messages (not shown to the router: FunctionGemma is trained on single-turn requests). */
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

/** What one routing did, beyond its calls. */
export interface RouteResult {
  calls: ToolCallPart[];
  /** Tools declared to the router (after selection and shrinking to fit). */
  toolsDeclared: number;
  promptTokens: number;
}

function responseText(response: CollectedResponse): string {
  return response.message.content
    .filter((p) => p.type === "text")
    .map((p) => (p.type === "text" ? p.text : ""))
    .join("")
    .trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Turns a text-only model answer into tool calls with a small local model (FunctionGemma), prompted in its own
 * notation and constrained by a grammar of it. The model is loaded (and, by default, downloaded) on the first
 * routing only.
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
    // Strings default to a quarter of the output budget (a token is at least one character), so a call with
    // a few strings still closes before max_tokens and parses.
    const maxStringLength = Math.min(DEFAULT_BOUNDS.maxStringLength, Math.floor(this.settings.maxTokens / 4));
    this.bounds = { ...DEFAULT_BOUNDS, maxStringLength, ...options.bounds };
    const sink = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    this.log = (line) => sink(`[tool-router] ${line}`);
  }

  /** The shared model host, created on first use (creating it does not load the model). */
  get host(): ModelHost {
    if (!this.hostInstance) {
      const contextSize = this.options.contextSize ?? this.settings.contextSize;
      let lastStep = -1;
      const progress =
        this.options.onDownloadProgress ??
        ((p: DownloadProgress) => {
          const step = p.totalBytes > 0 ? Math.floor((p.downloadedBytes / p.totalBytes) * 10) : 0;
          if (step <= lastStep) return;
          lastStep = step;
          this.log(`downloading ${p.uri}: ${step * 10}% (${(p.downloadedBytes / 1048576).toFixed(1)} MiB)`);
        });
      this.hostInstance = sharedModelHost({
        loader: this.options.loader ?? loadLlamaCppModel,
        modelPath: this.settings.modelPath,
        arch: this.settings.arch,
        device: this.settings.device,
        sequences: this.options.concurrency ?? 2,
        contextSize,
        threads: this.options.threads ?? this.settings.threads,
        ...(this.settings.offline ? { offline: true } : {}),
        modelsDir: this.options.modelsDir ?? path.join(dataDir(this.options.env ?? process.env), "models"),
        onDownloadProgress: progress,
        idleUnloadMs: this.options.idleUnloadMs ?? 5 * 60_000,
        retryLoadAfterMs: this.options.retryLoadAfterMs ?? 60_000,
        log: this.log,
      });
    }
    return this.hostInstance;
  }

  /**
   * Whether a response needs routing, and when not, why — if the reason is worth reporting (`undefined` for
   * the common passthroughs: calls already made, a tool-capable model, nothing to route).
   */
  decide(input: ShouldRouteInput): { route: true } | { route: false; reason?: string } {
    if (!input.tools?.length) return { route: false };
    if (input.response.message.content.some((p) => p.type === "tool_call")) return { route: false };
    const text = responseText(input.response);
    if (!text) return { route: false };
    if (!input.force && input.modelSupportsTools) return { route: false };
    if (!input.force && !this.settings.enabled) {
      return { route: false, reason: "the tool router is disabled ([tool_router] enabled = false)" };
    }
    if (this.options.requireToolMention) {
      const lower = text.toLowerCase();
      if (!input.tools.some((t) => lower.includes(t.name.toLowerCase()))) {
        return { route: false, reason: "the answer names no tool" };
      }
    }
    return { route: true };
  }

  shouldRoute(input: ShouldRouteInput): boolean {
    return this.decide(input).route;
  }

  /** Runs the router model; returns the calls it found (possibly none). Throws on failure. */
  async route(input: RouteInput): Promise<ToolCallPart[]> {
    return (await this.routeWithDetails(input)).calls;
  }

  /**
   * Routes over the tools that can matter for this answer (see `selectTools`), shrinking that list until the
   * prompt fits the model's context; throws {@link RoutingSkipped} when even one tool does not fit.
   */
  async routeWithDetails(input: RouteInput): Promise<RouteResult> {
    if (input.tools.length === 0) return { calls: [], toolsDeclared: 0, promptTokens: 0 };
    const maxTools = this.options.maxTools ?? this.settings.maxTools;
    const ranked = selectTools(input.text, input.tools, maxTools);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
    return this.host.use(signal, async (model) => {
      const { prompt, tools, tokens } = this.fit(model, input.text, ranked);
      const raw = await model.generate(prompt, functionGemmaGrammar(tools, this.bounds), {
        maxTokens: this.settings.maxTokens,
        temperature: this.settings.temperature,
        ...((this.options.seed ?? this.settings.seed) !== undefined
          ? { seed: this.options.seed ?? this.settings.seed }
          : {}),
        signal,
      });
      return { calls: this.parse(raw, tools), toolsDeclared: tools.length, promptTokens: tokens };
    });
  }

  /** The largest prefix of `ranked` (then the shortest answer clip) whose prompt fits the context. */
  private fit(
    model: RouterModel,
    text: string,
    ranked: ToolDefinition[],
  ): { prompt: PromptSegment[]; tools: ToolDefinition[]; tokens: number } {
    const budget = model.maxContextSize - this.settings.maxTokens - 1;
    let tools = ranked;
    let answer = clip(text, this.options.maxAnswerChars ?? 4_000);
    for (;;) {
      const prompt = functionGemmaPromptSegments({ tools, messages: [{ role: "user", text: answer }] });
      const tokens = model.countTokens(prompt);
      if (tokens <= budget) return { prompt, tools, tokens };
      if (tools.length > 1) {
        tools = tools.slice(0, -1);
      } else if (answer.length > 200) {
        answer = clip(answer, Math.floor(answer.length / 2));
      } else {
        throw new RoutingSkipped(
          `the prompt needs ${tokens} tokens even with one tool, but the router's context of ` +
            `${model.maxContextSize} tokens leaves ${budget} after ${this.settings.maxTokens} output tokens ` +
            "(raise [tool_router] context_size or lower max_tokens)",
        );
      }
    }
  }

  /** Decodes router output into tool calls, dropping any call whose arguments fail the tool's schema. */
  parse(raw: string, tools: readonly ToolDefinition[]): ToolCallPart[] {
    const out: ToolCallPart[] = [];
    for (const call of parseFunctionGemmaCalls(raw)) {
      const tool = tools.find((t) => t.name === call.name);
      if (!tool) {
        this.log(`dropped a call to unknown tool ${JSON.stringify(call.name)}`);
        continue;
      }
      const problems = validateJson(call.arguments, tool.parameters);
      if (problems.length) {
        // Only paths and schema words are logged, never argument values: they may hold secrets.
        this.log(`dropped a call to "${tool.name}": ${problems.slice(0, 3).join("; ")}`);
        continue;
      }
      out.push({
        type: "tool_call",
        id: `route_${randomUUID()}`,
        name: tool.name,
        arguments: JSON.stringify(call.arguments),
      });
    }
    return out;
  }

  /**
   * Safe wrapper for the agent loop: routes when {@link decide} says so and returns the response with the tool
   * calls appended (text kept, finish reason `tool_calls`). On any error or timeout it logs why and returns the
   * original response unchanged. `report` hears what happened whenever routing was due or skipped for a reason.
   */
  async maybeRoute(
    input: ShouldRouteInput & {
      tail?: readonly Message[];
      signal?: AbortSignal;
      report?: (report: RoutingReport) => void;
    },
  ): Promise<CollectedResponse> {
    const decision = this.decide(input);
    if (!decision.route) {
      if (decision.reason) input.report?.({ outcome: "skipped", reason: decision.reason, calls: 0 });
      return input.response;
    }
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const result = await this.routeWithDetails({
        text: responseText(input.response),
        tools: input.tools ?? [],
        ...(input.signal ? { signal: input.signal } : {}),
      });
      const details = {
        calls: result.calls.length,
        toolsDeclared: result.toolsDeclared,
        toolsAvailable: input.tools?.length ?? 0,
        promptTokens: result.promptTokens,
        durationMs: elapsed(),
      };
      if (result.calls.length === 0) {
        input.report?.({ outcome: "no_calls", ...details });
        return input.response;
      }
      this.log(
        `routed ${result.calls.length} call(s) in ${details.durationMs} ms: ${result.calls.map((c) => c.name).join(", ")}`,
      );
      input.report?.({ outcome: "routed", ...details });
      return {
        ...input.response,
        message: { ...input.response.message, content: [...input.response.message.content, ...result.calls] },
        finishReason: "tool_calls",
      };
    } catch (err) {
      const reason = input.signal?.aborted ? "cancelled" : (err as Error).message || String(err);
      const skipped = err instanceof RoutingSkipped;
      this.log(`routing ${skipped ? "skipped" : "failed"}, keeping the original response: ${reason}`);
      input.report?.({ outcome: skipped ? "skipped" : "failed", reason, calls: 0, durationMs: elapsed() });
      return input.response;
    }
  }

  /** Unloads the shared model now. */
  async dispose(): Promise<void> {
    await this.hostInstance?.unload();
  }
}
