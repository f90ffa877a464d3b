import type { Message } from "../messages.js";
import { completeWithRetry } from "../provider/complete-with-retry.js";
import type { Provider } from "../provider/provider.js";
import { addUsage, emptyUsage, type Usage } from "../usage.js";
import { filesTouched, renderTranscript, SUMMARY_SYSTEM_PROMPT } from "./summary-prompt.js";
import type { TokenCounter } from "./token-counter.js";

export interface SummarizeOptions {
  provider: Provider;
  model: string;
  messages: readonly Message[];
  previousSummary?: string | undefined;
  /** Token budget of one summary request's input; longer histories are folded in pieces. */
  budgetTokens: number;
  counter: TokenCounter;
  maxTokens: number;
  signal?: AbortSignal;
}

/** Splits a transcript into pieces of at most `budget` tokens, on message boundaries where possible. */
function piecesOf(messages: readonly Message[], budget: number, counter: TokenCounter): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const message of messages) {
    let text = renderTranscript([message]);
    // A single message larger than the budget is clipped; its gist survives in its head.
    const max = budget * 3;
    if (counter.count(text) > budget) text = `${text.slice(0, max)}\n[… message clipped for the summary]`;
    if (current && counter.count(current) + counter.count(text) > budget) {
      pieces.push(current);
      current = "";
    }
    current = current ? `${current}\n${text}` : text;
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * Summarises messages into the structured summary (goal, decisions, files touched, open tasks),
 * folding piece by piece when the history is larger than one request can hold.
 */
export async function summarizeMessages(options: SummarizeOptions): Promise<{ text: string; usage: Usage }> {
  let summary = options.previousSummary ?? "";
  let usage = emptyUsage();
  for (const piece of piecesOf(options.messages, options.budgetTokens, options.counter)) {
    const prompt =
      (summary ? `Previous summary:\n${summary}\n\n` : "") +
      `New history to summarise:\n<history>\n${piece}\n</history>`;
    const response = await requestText(
      options.provider,
      {
        model: options.model,
        messages: [
          { role: "system", content: [{ type: "text", text: SUMMARY_SYSTEM_PROMPT }] },
          { role: "user", content: [{ type: "text", text: prompt }] },
        ],
        maxTokens: options.maxTokens,
        temperature: 0,
      },
      options.signal,
    );
    usage = addUsage(usage, response.usage);
    if (!response.text) {
      throw new Error(
        `Compaction failed: the model "${options.model}" returned an empty summary. ` +
          "The session was left unchanged; try /compact again or use another model.",
      );
    }
    summary = response.text;
  }
  const missing = filesTouched(options.messages).filter((path) => !summary.includes(path));
  if (missing.length) {
    summary += `\n\n## Files named in tool calls\n${missing.map((p) => `- ${p}`).join("\n")}`;
  }
  return { text: summary, usage };
}

/** Runs one summary request and returns its text (exported for hosts with their own loop). */
export async function requestText(
  provider: Provider,
  request: Parameters<Provider["stream"]>[0],
  signal?: AbortSignal,
): Promise<{ text: string; usage: Usage }> {
  const response = await completeWithRetry(provider, request, { signal });
  const text = response.message.content
    .filter((p) => p.type === "text")
    .map((p) => (p.type === "text" ? p.text : ""))
    .join("")
    .trim();
  return { text, usage: addUsage(emptyUsage(), response.usage) };
}
