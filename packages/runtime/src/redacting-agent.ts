import { Agent, type AgentEvent, type AgentOptions, type ContentPart } from "@codetether/core";
import type { KnownSecrets } from "./known-secrets.js";
import { StreamRedactor } from "./stream-redactor.js";

type Delta = Extract<AgentEvent, { type: "text-delta" | "thinking-delta" }>;
type Progress = Extract<AgentEvent, { type: "tool-progress" }>;

async function* redacted(
  events: AsyncIterable<AgentEvent>,
  secrets: KnownSecrets,
): AsyncIterable<AgentEvent> {
  const { redactKnownSecrets } = await import("@codetether/security");
  const mask = (text: string) => redactKnownSecrets(text, secrets.list);
  const stream = () => new StreamRedactor(() => secrets.list, mask);
  // Streamed pieces (model text, thinking, each tool call's output) are masked across piece boundaries.
  const deltas = { "text-delta": stream(), "thinking-delta": stream() };
  const outputs = new Map<string, { redactor: StreamRedactor; last: Progress }>();
  /** What the delta streams still hold, as events, before an event that is not one of their pieces. */
  function* flushDeltas(): Generator<AgentEvent> {
    for (const type of ["text-delta", "thinking-delta"] as const) {
      const rest = deltas[type].flush();
      if (rest) yield { type, text: rest };
    }
  }
  function* flushOutput(callId: string): Generator<AgentEvent> {
    const entry = outputs.get(callId);
    if (!entry) return;
    outputs.delete(callId);
    const rest = entry.redactor.flush();
    if (rest) yield { ...entry.last, event: { ...entry.last.event, text: rest } };
  }
  for await (const event of events) {
    if (event.type === "text-delta" || event.type === "thinking-delta") {
      const text = deltas[event.type].push(event.text);
      if (text) yield { ...event, text } as Delta;
      continue;
    }
    if (event.type === "tool-progress" && event.event.type === "output") {
      let entry = outputs.get(event.callId);
      if (!entry) {
        entry = { redactor: stream(), last: event };
        outputs.set(event.callId, entry);
      }
      entry.last = event;
      const text = entry.redactor.push(event.event.text);
      if (text) yield redactKnownSecrets({ ...event, event: { ...event.event, text } }, secrets.list);
      continue;
    }
    if (event.type !== "tool-progress" && event.type !== "usage") yield* flushDeltas();
    if (event.type === "tool-end") yield* flushOutput(event.callId);
    yield redactKnownSecrets(event, secrets.list);
  }
  yield* flushDeltas();
  for (const callId of [...outputs.keys()]) yield* flushOutput(callId);
}

/**
 * An agent whose events carry no known secret: what a front end prints, streams as A2A artifacts or sends to an
 * editor. Tool output is already masked where it is produced; this also covers model text, and secrets split
 * across streamed pieces (see {@link StreamRedactor}).
 */
export class RedactingAgent extends Agent {
  constructor(
    options: AgentOptions,
    private readonly secrets: KnownSecrets,
  ) {
    super(options);
  }

  override run(
    input: string | ContentPart[],
    options: { signal?: AbortSignal } = {},
  ): AsyncIterable<AgentEvent> {
    return redacted(super.run(input, options), this.secrets);
  }
}
