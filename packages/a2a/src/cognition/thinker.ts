import { completeWithRetry, type Provider } from "@codetether/core";
import type { PersonaRuntimeState, ThoughtEvent, ThoughtEventType } from "./cognition-types.js";

/** The loop cycles observe → reflect → test → compress for every persona. */
export type ThinkPhase = "observe" | "reflect" | "test" | "compress";
export const PHASES: ThinkPhase[] = ["observe", "reflect", "test", "compress"];

export const PHASE_EVENT: Record<ThinkPhase, ThoughtEventType> = {
  observe: "thought_generated",
  reflect: "hypothesis_raised",
  test: "check_result",
  compress: "snapshot_compressed",
};

const PHASE_INSTRUCTION: Record<ThinkPhase, string> = {
  observe:
    "Observe: state one concrete new observation relevant to your charter, in at most three sentences.",
  reflect:
    "Reflect: from your recent thoughts, raise one hypothesis worth checking, in at most three sentences.",
  test: "Test: say how you would check your latest hypothesis and what result you expect, in at most three sentences.",
  compress:
    "Compress: summarise your recent thoughts into a short memory (at most five bullet points) to keep for later.",
};

export interface Thought {
  text: string;
  tokens: number;
  computeMs: number;
}

/** One model call for one persona and phase, bounded by `maxTokens`. */
export async function think(options: {
  provider: Provider;
  model: string;
  persona: PersonaRuntimeState;
  phase: ThinkPhase;
  recent: ThoughtEvent[];
  maxTokens: number;
  signal?: AbortSignal;
}): Promise<Thought> {
  const { persona, phase, recent } = options;
  const memory = recent
    .map((e) => `- (${e.event_type}) ${String(e.payload.text ?? e.payload.summary ?? "")}`)
    .join("\n");
  const started = performance.now();
  const response = await completeWithRetry(
    options.provider,
    {
      model: options.model,
      maxTokens: options.maxTokens,
      temperature: 0.7,
      messages: [
        {
          role: "system",
          content: [
            {
              type: "text",
              text:
                `You are ${persona.identity.name}, a ${persona.identity.role} in a perpetual persona swarm.\n` +
                `Charter: ${persona.identity.charter}\nThink briefly and concretely. No tool calls.`,
            },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "text",
              text: `${memory ? `Your recent thoughts:\n${memory}\n\n` : ""}${PHASE_INSTRUCTION[phase]}`,
            },
          ],
        },
      ],
    },
    { signal: options.signal },
  );
  const text = response.message.content
    .filter((p) => p.type === "text")
    .map((p) => (p.type === "text" ? p.text : ""))
    .join("")
    .trim();
  const reported = response.usage.promptTokens + response.usage.completionTokens;
  // Providers that report no usage are charged an estimate (4 characters per token).
  const estimated = Math.ceil((memory.length + persona.identity.charter.length + text.length + 400) / 4);
  return {
    text,
    tokens: reported > 0 ? reported : estimated,
    computeMs: Math.round(performance.now() - started),
  };
}
