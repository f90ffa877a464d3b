import type { BeforeStepHook } from "../agent/agent-options.js";
import type { ModelInfo } from "../model-info.js";
import type { Provider } from "../provider/provider.js";
import { isAbortError } from "../util/abort.js";
import { type CompactionResult, compactSession } from "./compact-session.js";
import { countMessageTokens, countToolTokens } from "./count-messages.js";
import { estimateCounter, getTokenCounter, modelFamily, type TokenCounter } from "./token-counter.js";

/**
 * How far below the limit the cheap estimate must be to skip the exact tokenizer. Estimates round up
 * and are calibrated to within ~15% of the real tokenizers on prose and code; 25% leaves room for
 * unusual text (dense symbols, CJK) without loading a multi-megabyte rank table on every short run.
 */
const ESTIMATE_MARGIN = 0.25;

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
    const threshold = options.threshold ?? 0.8;
    if (!counter && threshold > 0 && threshold < 1) {
      // Decide with the cheap estimate first: loading js-tiktoken costs seconds and is only needed
      // when the prompt is close enough to the limit for the estimate's error to matter.
      const estimate = estimateCounter(modelFamily(agent.options.model));
      const estimated =
        countMessageTokens(agent.buildMessages(), estimate) +
        countToolTokens(agent.options.tools.definitions(), estimate);
      if (estimated < modelInfo.contextWindow * threshold * (1 - ESTIMATE_MARGIN)) return;
    }
    counter ??= await getTokenCounter(agent.options.model);
    const tokenCounter = counter;
    const toolTokens = countToolTokens(agent.options.tools.definitions(), tokenCounter);
    try {
      const result = await compactSession({
        session,
        provider: options.provider ?? agent.options.provider,
        model,
        modelInfo,
        threshold,
        counter: tokenCounter,
        measure: () => countMessageTokens(agent.buildMessages(), tokenCounter) + toolTokens,
        signal,
        emit,
        beforeSummarize: () => agent.preCompactHooks("auto", signal, emit),
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
