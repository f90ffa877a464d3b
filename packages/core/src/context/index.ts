export { type CompactionResult, type CompactSessionOptions, compactSession } from "./compact-session.js";
export { type CompactionHookOptions, createCompactionHook } from "./compaction-hook.js";
export {
  countMessageTokens,
  countPartTokens,
  countToolTokens,
  IMAGE_TOKENS,
  MESSAGE_OVERHEAD_TOKENS,
} from "./count-messages.js";
export {
  PRUNED_OUTPUTS_KEY,
  type PruneOptions,
  type PruneResult,
  pruneToolOutputs,
  recentTurnsStart,
} from "./prune-tool-outputs.js";
export { requestText, type SummarizeOptions, summarizeMessages } from "./summarize.js";
export { filesTouched, renderTranscript, SUMMARY_SYSTEM_PROMPT } from "./summary-prompt.js";
export {
  CHARS_PER_TOKEN,
  estimateCounter,
  getTokenCounter,
  type ModelFamily,
  modelFamily,
  type TokenCounter,
  tiktokenEncodingFor,
} from "./token-counter.js";
