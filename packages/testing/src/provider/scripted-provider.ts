import { type ChatRequest, type Provider, type StreamChunk, sleep } from "@codetether/core";

/** One scripted model turn: the chunks to stream, or an error to throw instead. */
export type ScriptedStep = StreamChunk[] | Error;

/** Computes a turn from the request, for tests whose callers interleave (sub-agents, swarms). */
export type ScriptedResponder = (
  request: ChatRequest,
  signal?: AbortSignal,
) => Promise<ScriptedStep> | ScriptedStep;

export interface ScriptedProviderOptions {
  /** Provider id (default `"fake"`). */
  id?: string;
  /**
   * Milliseconds to wait before answering, like a network round trip, so concurrent callers interleave
   * (default 1). The wait honours the abort signal. 0 answers without yielding to the event loop.
   */
  delayMs?: number;
}

/** An in-process `Provider` that also records what it was asked. */
export interface ScriptedProvider extends Provider {
  /** A deep copy of every request, in order. */
  readonly requests: ChatRequest[];
  /** Streams open right now. */
  readonly inFlight: number;
  /** The most streams that were open at once. */
  readonly maxInFlight: number;
}

/**
 * A `Provider` that replays `script` one step per `stream()` call (a list), or asks `script` for each turn
 * (a function). A list that runs out throws, naming the request it could not answer.
 */
export function createScriptedProvider(
  script: ScriptedStep[] | ScriptedResponder,
  options: ScriptedProviderOptions = {},
): ScriptedProvider {
  const delayMs = options.delayMs ?? 1;
  const requests: ChatRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const nextStep = async (request: ChatRequest, signal?: AbortSignal): Promise<ScriptedStep> => {
    if (typeof script === "function") return script(request, signal);
    const step = script[requests.length - 1];
    if (!step) {
      throw new Error(
        `scripted provider: script exhausted — request #${requests.length} arrived but only ${script.length} step(s) were scripted; add a step for it`,
      );
    }
    return step;
  };

  return {
    id: options.id ?? "fake",
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    async listModels() {
      return [];
    },
    async *stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamChunk> {
      requests.push(structuredClone(request));
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (delayMs > 0) await sleep(delayMs, signal);
        const step = await nextStep(request, signal);
        if (step instanceof Error) throw step;
        for (const chunk of step) yield chunk;
      } finally {
        inFlight--;
      }
    },
  };
}
