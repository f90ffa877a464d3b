import {
  addUsage,
  completeWithRetry,
  emptyUsage,
  type Message,
  messageText,
  type Provider,
  textMessage,
  type Usage,
} from "@codetether/core";
import type { z } from "zod";
import { extractJsonObject } from "./extract-json.js";
import { DecompositionError, planStages } from "./stages.js";
import { DecompositionSchema, type Subtask, type SwarmStrategy } from "./subtask.js";

const STRATEGY_TEXT: Record<Exclude<SwarmStrategy, "none">, string> = {
  auto: "Determine the optimal way to split this task into parallel work.",
  domain: "Split by domain expertise (for example research, coding, analysis, verification).",
  data: "Split by data partition (files, sections, datasets), one partition per subtask.",
  stage: "Split by workflow stages (gather, process, synthesize); later stages depend on earlier ones.",
};

export interface DecomposeOptions {
  task: string;
  strategy: SwarmStrategy;
  provider: Provider;
  model: string;
  maxSubtasks: number;
  /** Tool ids sub-agents may be given; listed so the model can request subsets. */
  toolIds: string[];
  /** Attempts before giving up on invalid output (default 3). */
  maxAttempts?: number;
  signal?: AbortSignal;
}

export interface DecomposeResult {
  subtasks: Subtask[];
  usage: Usage;
  attempts: number;
}

export function decompositionPrompt(options: DecomposeOptions): string {
  const strategy = options.strategy === "none" ? "auto" : options.strategy;
  return [
    "You are the orchestrator of a swarm of coding sub-agents that run in parallel.",
    `TASK:\n${options.task}`,
    `STRATEGY: ${STRATEGY_TEXT[strategy]}`,
    "Constraints:",
    `- At most ${options.maxSubtasks} subtasks; prefer independent subtasks that can run at the same time.`,
    "- A subtask that needs another's result lists that subtask's name in `dependencies`.",
    "- Each instruction must be self-contained: the sub-agent sees only it and its dependencies' results.",
    `- Optional \`tools\` restricts a subtask to some of: ${options.toolIds.join(", ") || "(none)"}.`,
    "Reply with JSON only, in this shape:",
    '{"subtasks":[{"name":"...","instruction":"...","specialty":"...","dependencies":["<name>"],"priority":1}]}',
  ].join("\n");
}

function describeZod(error: z.ZodError): string {
  return error.issues.map((i) => `- ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
}

/**
 * Asks the model for subtasks and validates them; invalid output is sent back with the error and
 * retried. Strategy `none` runs the whole task as one subtask without a model call.
 */
export async function decompose(options: DecomposeOptions): Promise<DecomposeResult> {
  if (options.strategy === "none") {
    return {
      subtasks: planStages([{ name: "main", instruction: options.task, dependencies: [], priority: 1 }]),
      usage: emptyUsage(),
      attempts: 0,
    };
  }
  const maxAttempts = options.maxAttempts ?? 3;
  const messages: Message[] = [textMessage("user", decompositionPrompt(options))];
  let usage = emptyUsage();
  let lastError = "";
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const response = await completeWithRetry(
      options.provider,
      { model: options.model, messages, toolChoice: "none" },
      { signal: options.signal },
    );
    usage = addUsage(usage, response.usage);
    const text = messageText(response.message);
    try {
      const parsed = DecompositionSchema.safeParse(extractJsonObject(text));
      if (!parsed.success)
        throw new Error(`The JSON does not match the schema:\n${describeZod(parsed.error)}`);
      if (parsed.data.subtasks.length > options.maxSubtasks)
        throw new Error(
          `${parsed.data.subtasks.length} subtasks proposed; at most ${options.maxSubtasks} are allowed.`,
        );
      const unknownTools = parsed.data.subtasks.flatMap((s) =>
        (s.tools ?? []).filter((t) => !options.toolIds.includes(t)).map((t) => `"${t}" (in "${s.name}")`),
      );
      if (unknownTools.length)
        throw new Error(
          `Unknown tools ${unknownTools.join(", ")}; choose from ${options.toolIds.join(", ")}.`,
        );
      return { subtasks: planStages(parsed.data.subtasks), usage, attempts: attempt };
    } catch (err) {
      lastError = (err as Error).message;
      messages.push(
        response.message,
        textMessage(
          "user",
          `Your reply could not be used:\n${lastError}\nReply again with corrected JSON only.`,
        ),
      );
    }
  }
  throw new DecompositionError(
    `The model did not produce a valid decomposition after ${maxAttempts} attempts. Last error: ${lastError}`,
  );
}
