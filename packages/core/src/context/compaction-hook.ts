import type { BeforeStepHook } from "../agent/agent.js";
import type { ModelInfo } from "../model-info.js";
import type { Provider } from "../provider/provider.js";
import { isAbortError } from "../util/abort.js";
import { type CompactionResult, compactSession } from "./compact-session.js";
import { countMessageTokens, countToolTokens } from "./count-messages.js";
import { getTokenCounter, type TokenCounter } from "./token-counter.js";

export interface CompactionHookOptions {
  /** `config.session.auto_compact` (default true). */
  enabled?: boolean;
  /** `config.session.compact_threshold` (default 0.8). */
  threshold?: number;
  /** Used when the agent has no `modelInfo`; without either, the hook does nothing. */
  modelInfo?: ModelInfo;
  /** Summarise with another model than the agent's (e.g. a cheaper one). */
  provider?: Provider;
  model?: string;
  keepRecentTurns?: number;
  counter?: TokenCounter;
  /** Told about every compaction that did something. */
  onCompaction?: (result: CompactionResult) => void;
  /** Told when compaction failed; the step then runs uncompacted (default: a line on stderr). */
  onError?: (error: Error) => void;
}

/**
 * A `BeforeStepHook` for `new Agent({ beforeStep })`: before each model call it measures the prompt the
 * agent is about to send (system prompt, summary, visible history, tool definitions) and compacts the
 * session when it passes `threshold` × the model's context window. Emits the `compaction` event.
 */
export function createCompactionHook(options: CompactionHookOptions = {}): BeforeStepHook {
  let counter: TokenCounter | undefined = options.counter;
  return async ({ session, agent, signal, emit }) => {
    if (options.enabled === false) return;
    const modelInfo = agent.options.modelInfo ?? options.modelInfo;
    if (!modelInfo) return;
    const model = options.model ?? agent.options.model;
    counter ??= await getTokenCounter(agent.options.model);
    const tokenCounter = counter;
    const toolTokens = countToolTokens(agent.options.tools.definitions(), tokenCounter);
    try {
      const result = await compactSession({
        session,
        provider: options.provider ?? agent.options.provider,
        model,
        modelInfo,
        threshold: options.threshold ?? 0.8,
        counter: tokenCounter,
        measure: () => countMessageTokens(agent.buildMessages(), tokenCounter) + toolTokens,
        signal,
        emit,
        ...(options.keepRecentTurns !== undefined ? { keepRecentTurns: options.keepRecentTurns } : {}),
      });
      if (result.action !== "none") options.onCompaction?.(result);
    } catch (err) {
      if (signal.aborted || isAbortError(err)) throw err;
      const error = err instanceof Error ? err : new Error(String(err));
      if (options.onError) options.onError(error);
      else process.stderr.write(`codetether: automatic compaction failed: ${error.message}\n`);
    }
  };
}
