import { Agent, type AgentEvent, type AgentOptions, type ContentPart } from "@codetether/core";
import type { KnownSecrets } from "./known-secrets.js";

async function* redacted(
  events: AsyncIterable<AgentEvent>,
  secrets: KnownSecrets,
): AsyncIterable<AgentEvent> {
  const { redactKnownSecrets } = await import("@codetether/security");
  for await (const event of events) yield redactKnownSecrets(event, secrets.list);
}

/**
 * An agent whose events carry no known secret: what a front end prints, streams as A2A artifacts or sends to an
 * editor. Tool output is already masked where it is produced; this also covers model text.
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
