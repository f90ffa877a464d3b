import { completeWithRetry, messageText, type Provider, textMessage, type Usage } from "@codetether/core";
import type { SubtaskResult } from "../swarm-types.js";

/** The subtask outputs joined in order; also the fallback when synthesis is off or fails. */
export function joinOutputs(results: SubtaskResult[]): string {
  return results
    .map((r, i) => {
      const body =
        r.status === "completed" ? r.output : `(${r.status.toUpperCase()}) ${r.error ?? ""}`.trim();
      return `=== Subtask ${i + 1}: ${r.name} ===\n${body}`;
    })
    .join("\n\n");
}

/** One model call that merges the sub-agents' reports into a single answer to the task. */
export async function synthesize(options: {
  task: string;
  results: SubtaskResult[];
  provider: Provider;
  model: string;
  signal?: AbortSignal;
}): Promise<{ answer: string; usage: Usage }> {
  const prompt = [
    "Sub-agents worked on parts of a task in parallel. Write the final answer to the task from their",
    "reports: merge overlapping findings, resolve contradictions, say plainly what failed or is missing.",
    `\nTASK:\n${options.task}\n`,
    joinOutputs(options.results),
  ].join("\n");
  const response = await completeWithRetry(
    options.provider,
    { model: options.model, messages: [textMessage("user", prompt)], toolChoice: "none" },
    { signal: options.signal },
  );
  return { answer: messageText(response.message).trim(), usage: response.usage };
}
