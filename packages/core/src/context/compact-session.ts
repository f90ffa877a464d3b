import type { AgentEvent } from "../agent/agent-event.js";
import type { Message } from "../messages.js";
import type { ModelInfo } from "../model-info.js";
import type { Provider } from "../provider/provider.js";
import type { Session } from "../session/session.js";
import { addUsage, emptyUsage, type Usage } from "../usage.js";
import { countMessageTokens } from "./count-messages.js";
import { pruneToolOutputs, recentTurnsStart } from "./prune-tool-outputs.js";
import { summarizeMessages } from "./summarize.js";
import { getTokenCounter, type TokenCounter } from "./token-counter.js";

export interface CompactSessionOptions {
  session: Session;
  /** Model that writes the summary (usually the session's own). */
  provider: Provider;
  model: string;
  /** Supplies `contextWindow` unless `contextWindow` is given. */
  modelInfo?: ModelInfo;
  contextWindow?: number;
  /** Fraction of the context window at which compaction starts (`config.session.compact_threshold`). */
  threshold?: number;
  /** Summarise even below the threshold (`/compact`, `--compact`). */
  force?: boolean;
  /** User turns kept verbatim after the summary (default 2). */
  keepRecentTurns?: number;
  counter?: TokenCounter;
  /** Tokens the prompt currently costs; default: summary plus visible messages. */
  measure?: (session: Session) => number;
  maxSummaryTokens?: number;
  signal?: AbortSignal;
  emit?: (event: AgentEvent) => void;
  /** Runs right before older turns are summarised (the `pre_compact` hooks). */
  beforeSummarize?: () => Promise<void>;
}

export interface CompactionResult {
  /** `none`: below the threshold; `pruned`: tool outputs pruned was enough; `summarized`: older turns replaced. */
  action: "none" | "pruned" | "summarized";
  tokensBefore: number;
  tokensAfter: number;
  limit: number;
  prunedResults: number;
  removedMessages: number;
  summaryChars: number;
  /** Tokens spent on the summary call(s), also added to `session.usage`. */
  usage: Usage;
}

function visibleMessages(session: Session): Message[] {
  const out: Message[] = [];
  if (session.summary) out.push({ role: "user", content: [{ type: "text", text: session.summary }] });
  out.push(...session.messages.slice(session.compactedFrom ?? 0));
  return out;
}

/** Where to cut: keep recent turns if possible, else the last turn, else the last assistant step. */
function chooseCut(messages: readonly Message[], from: number, keepRecentTurns: number): number {
  for (const turns of [keepRecentTurns, 1]) {
    const cut = recentTurnsStart(messages, turns, from);
    if (cut > from && cut < messages.length) return cut;
  }
  // One long turn: cut before its last assistant step so the pending tool results stay attached.
  for (let i = messages.length - 1; i > from + 1; i--) if (messages[i]?.role === "assistant") return i;
  return from;
}

/**
 * Frees context in a session nearing its model's window: prunes old tool outputs first, then, if that
 * is not enough (or `force`), summarises older turns with the model into `session.summary` and moves
 * `session.compactedFrom`. `session.messages` keeps the full history.
 */
export async function compactSession(options: CompactSessionOptions): Promise<CompactionResult> {
  const { session } = options;
  const contextWindow = options.contextWindow ?? options.modelInfo?.contextWindow;
  if (!contextWindow && !options.force) {
    throw new Error(
      `Cannot decide whether to compact: the context window of "${options.model}" is unknown. ` +
        "Pass modelInfo or contextWindow, or force: true.",
    );
  }
  const threshold = options.threshold ?? 0.8;
  if (!(threshold > 0 && threshold < 1)) {
    throw new Error(
      `Invalid compaction threshold ${threshold}: expected a fraction between 0 and 1, e.g. 0.8.`,
    );
  }
  const counter = options.counter ?? (await getTokenCounter(options.model));
  const measure = options.measure ?? ((s: Session) => countMessageTokens(visibleMessages(s), counter));
  const limit = contextWindow ? Math.floor(contextWindow * threshold) : 0;
  const tokensBefore = measure(session);
  const result: CompactionResult = {
    action: "none",
    tokensBefore,
    tokensAfter: tokensBefore,
    limit,
    prunedResults: 0,
    removedMessages: 0,
    summaryChars: 0,
    usage: emptyUsage(),
  };
  if (!options.force && tokensBefore < limit) return result;

  const keepRecentTurns = options.keepRecentTurns ?? 2;
  const pruned = pruneToolOutputs(session, { keepRecentTurns });
  result.prunedResults = pruned.prunedResults;
  result.tokensAfter = measure(session);
  if (pruned.prunedResults > 0) result.action = "pruned";
  if (!options.force && result.tokensAfter < limit) return result;

  const from = session.compactedFrom ?? 0;
  const cut = chooseCut(session.messages, from, keepRecentTurns);
  if (cut <= from) return result;
  await options.beforeSummarize?.();
  const summary = await summarizeMessages({
    provider: options.provider,
    model: options.model,
    previousSummary: session.summary,
    messages: session.messages.slice(from, cut),
    // The summariser sees at most half the window per call, leaving room for its answer.
    budgetTokens: Math.max(2_000, Math.floor((contextWindow ?? 32_000) * 0.5)),
    counter,
    maxTokens: options.maxSummaryTokens ?? 2_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  session.summary = summary.text;
  session.compactedFrom = cut;
  session.usage = addUsage(session.usage, summary.usage);
  session.updatedAt = Date.now();
  const count = ((session.metadata.compactions as number | undefined) ?? 0) + 1;
  session.metadata.compactions = count;
  result.action = "summarized";
  result.removedMessages = cut - from;
  result.summaryChars = summary.text.length;
  result.usage = summary.usage;
  result.tokensAfter = measure(session);
  options.emit?.({
    type: "compaction",
    removedMessages: result.removedMessages,
    summaryChars: result.summaryChars,
  });
  return result;
}
