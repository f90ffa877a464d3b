import type { AgentCard, Message, Part, SendMessageRequest, StreamResponse, Task } from "@a2a-js/sdk";
import { ContentTypeNotSupportedError } from "@a2a-js/sdk/errors";
import { DefaultRequestHandler, type ServerCallContext } from "@a2a-js/sdk/server";

/** The media type a part carries: its `mediaType`, else text/plain for text and application/json for data. */
export function partMediaType(part: Part): string {
  const declared = part.mediaType?.split(";")[0]?.trim().toLowerCase();
  if (declared) return declared;
  if (part.content?.$case === "data") return "application/json";
  if (part.content?.$case === "text") return "text/plain";
  return "application/octet-stream";
}

/** Media types the agent accepts: the card's defaultInputModes plus every skill's inputModes. */
export function acceptedInputModes(card: AgentCard): Set<string> {
  return new Set(
    [...card.defaultInputModes, ...card.skills.flatMap((s) => s.inputModes)].map((m) => m.toLowerCase()),
  );
}

/** Throws ContentTypeNotSupportedError (-32005 / HTTP 400) naming the first part the agent cannot take. */
export function assertAcceptedParts(request: SendMessageRequest, accepted: Set<string>): void {
  const parts = request.message?.parts ?? [];
  parts.forEach((part, index) => {
    const type = partMediaType(part);
    if (!accepted.has(type)) {
      throw new ContentTypeNotSupportedError(
        `Part ${index} has media type "${type}", which this agent does not accept; send one of: ${[...accepted].join(", ")}.`,
      );
    }
  });
}

/**
 * The SDK's request handler, refusing messages with parts whose media type the agent card does not list
 * (spec 1.0.1 ContentTypeNotSupportedError; the TCK's CORE-SEND-003). Used in conformance mode, where the
 * card's input modes are exactly what the executor takes.
 */
export class InputModeCheckingRequestHandler extends DefaultRequestHandler {
  private accepted(): Promise<Set<string>> {
    return this.getAgentCard().then(acceptedInputModes);
  }

  override async sendMessage(
    params: SendMessageRequest,
    context: ServerCallContext,
  ): Promise<Message | Task> {
    assertAcceptedParts(params, await this.accepted());
    return super.sendMessage(params, context);
  }

  override async *sendMessageStream(
    params: SendMessageRequest,
    context: ServerCallContext,
  ): AsyncGenerator<StreamResponse, void, undefined> {
    assertAcceptedParts(params, await this.accepted());
    yield* super.sendMessageStream(params, context);
  }
}
