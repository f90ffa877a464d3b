import type { Artifact } from "@a2a-js/sdk";
import { AgentEvent as BusEvent, type ExecutionEventBus } from "@a2a-js/sdk/server";
import type { ToolResult } from "@codetether/core";
import { dataPart, textPart } from "./parts.js";

function artifact(artifactId: string, name: string, description: string, parts: Artifact["parts"]): Artifact {
  return { artifactId, name, description, parts, metadata: undefined, extensions: [] };
}

/**
 * Streams the agent's text as chunks of one `response` artifact. One chunk is held back so the
 * final chunk can carry `lastChunk: true` without an empty trailing part.
 */
export class ArtifactStreamer {
  private held: string | undefined;
  private sent = 0;
  private readonly responseId: string;

  constructor(
    private readonly bus: () => ExecutionEventBus,
    private readonly taskId: string,
    private readonly contextId: string,
  ) {
    this.responseId = `${taskId}-response-${Date.now().toString(36)}`;
  }

  text(delta: string): void {
    if (!delta) return;
    if (this.held !== undefined) this.publish(this.held, false);
    this.held = delta;
  }

  /** Publishes the held chunk as the last one (call at the end of the run, whatever the outcome). */
  finish(): void {
    if (this.held !== undefined) this.publish(this.held, true);
    this.held = undefined;
  }

  fileChange(tool: string, callId: string, result: ToolResult): void {
    this.bus().publish(
      BusEvent.artifactUpdate({
        taskId: this.taskId,
        contextId: this.contextId,
        artifact: artifact(
          `${this.taskId}-file-${callId}`,
          "file-change",
          `File change made by the ${tool} tool`,
          [dataPart({ tool, ...(result.metadata ?? {}) }), textPart(result.output)],
        ),
        append: false,
        lastChunk: true,
        metadata: undefined,
      }),
    );
  }

  private publish(text: string, lastChunk: boolean): void {
    this.bus().publish(
      BusEvent.artifactUpdate({
        taskId: this.taskId,
        contextId: this.contextId,
        artifact: artifact(this.responseId, "response", "", [textPart(text)]),
        append: this.sent > 0,
        lastChunk,
        metadata: undefined,
      }),
    );
    this.sent++;
  }
}
