import {
  type ChatRequest,
  type ModelInfo,
  type Provider,
  ProviderError,
  Semaphore,
  type StreamChunk,
  sleep,
} from "@codetether/core";

export interface RateLimitOptions {
  /** Model calls in flight at once across all sub-agents (default 8). */
  maxConcurrent?: number;
  /** Prompt + completion tokens per rolling minute; unlimited when omitted. */
  tokensPerMinute?: number;
  /** Pause after a 429 without Retry-After (default 1000 ms). */
  defaultRetryAfterMs?: number;
  /** Request size estimate before the usage is known (default: characters / 4). */
  estimateTokens?: (request: ChatRequest) => number;
}

export interface RateLimitStats {
  requests: number;
  rateLimited: number;
  waitedMs: number;
  tokens: number;
}

interface WindowEntry {
  at: number;
  tokens: number;
}

function defaultEstimate(request: ChatRequest): number {
  let chars = 0;
  for (const message of request.messages)
    for (const part of message.content) {
      if (part.type === "text" || part.type === "thinking") chars += part.text.length;
      else if (part.type === "tool_call") chars += part.arguments.length;
      else if (part.type === "tool_result") chars += part.content.length;
    }
  return Math.ceil(chars / 4) + (request.maxTokens ?? 0);
}

/**
 * Wraps a provider for many concurrent sub-agents: bounds calls in flight, keeps a rolling
 * tokens-per-minute budget, and after a 429 pauses every caller until the server's Retry-After
 * (the error is rethrown so the agent loop's own retry applies).
 */
export class RateLimitedProvider implements Provider {
  private readonly slots: Semaphore;
  private readonly window: WindowEntry[] = [];
  private cooldownUntil = 0;
  readonly stats: RateLimitStats = { requests: 0, rateLimited: 0, waitedMs: 0, tokens: 0 };

  constructor(
    readonly inner: Provider,
    private readonly options: RateLimitOptions = {},
  ) {
    this.slots = new Semaphore(options.maxConcurrent ?? 8);
  }

  get id(): string {
    return this.inner.id;
  }

  listModels(): Promise<ModelInfo[]> {
    return this.inner.listModels();
  }

  private windowTokens(now: number): number {
    while (this.window.length && now - this.window[0]!.at >= 60_000) this.window.shift();
    return this.window.reduce((sum, e) => sum + e.tokens, 0);
  }

  /** Waits for a cooldown to pass and for room in the token budget, then books `estimate`. */
  private async admit(estimate: number, signal?: AbortSignal): Promise<WindowEntry> {
    const started = Date.now();
    const limit = this.options.tokensPerMinute;
    for (;;) {
      const now = Date.now();
      if (now < this.cooldownUntil) {
        await sleep(this.cooldownUntil - now, signal);
        continue;
      }
      if (limit === undefined) break;
      const used = this.windowTokens(now);
      // A single request larger than the whole budget runs alone rather than never.
      if (used + estimate <= limit || this.window.length === 0) break;
      const oldest = this.window[0]!;
      await sleep(Math.max(10, oldest.at + 60_000 - now), signal);
    }
    this.stats.waitedMs += Date.now() - started;
    const entry = { at: Date.now(), tokens: estimate };
    this.window.push(entry);
    return entry;
  }

  async *stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamChunk> {
    const release = await this.slots.acquire(signal);
    try {
      const estimate = (this.options.estimateTokens ?? defaultEstimate)(request);
      const entry = await this.admit(estimate, signal);
      this.stats.requests++;
      let actual = 0;
      try {
        for await (const chunk of this.inner.stream(request, signal)) {
          if (chunk.type === "usage") actual += chunk.usage.promptTokens + chunk.usage.completionTokens;
          yield chunk;
        }
      } catch (err) {
        if (err instanceof ProviderError && err.kind === "rate_limit") {
          this.stats.rateLimited++;
          const pause = err.retryAfterMs ?? this.options.defaultRetryAfterMs ?? 1000;
          this.cooldownUntil = Math.max(this.cooldownUntil, Date.now() + pause);
        }
        throw err;
      } finally {
        if (actual > 0) entry.tokens = actual;
        this.stats.tokens += actual || 0;
      }
    } finally {
      release();
    }
  }
}
