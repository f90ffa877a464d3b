import type { RlmEnvironment } from "./environment.js";

/** One `rlm_llm_query` the model made. */
export interface SubQuery {
  query: string;
  /** Lines the sub-query looked at. */
  startLine: number;
  endLine: number;
  depth: number;
  /** `direct`: one model call over the slice; `recursive`: a nested RLM run. */
  mode: "direct" | "recursive";
  response: string;
  inputTokens: number;
  outputTokens: number;
}

/** What the RLM tools share during one run. */
export interface RlmState {
  env: RlmEnvironment;
  /** Cap on every tool output the model sees (default 8000 chars). */
  maxOutputChars: number;
  final?: string;
  subQueries: SubQuery[];
  /** Runs a sub-query over lines of the content; set by the loop. */
  subQuery(question: string, startLine: number, endLine: number, signal: AbortSignal): Promise<string>;
}

/** Clips tool output to the cap, saying how much was left out. */
export function capOutput(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n[… ${text.length - max} more characters not shown: narrow the range or pattern]`;
}
