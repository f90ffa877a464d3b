import type { Artifact } from "@a2a-js/sdk";
import { AgentEvent as BusEvent, type ExecutionEventBus } from "@a2a-js/sdk/server";
import type { ToolResult } from "@codetether/core";
import { dataPart, textPart } from "./parts.js";
import { relativePaths } from "./relative-paths.js";

function artifact(artifactId: string, name: string, description: string, parts: Artifact["parts"]): Artifact {
  return { artifactId, name, description, parts, metadata: undefined, extensions: [] };
}

/**
 * Streams the agent's text as chunks of one `response` artifact, then ends it with the whole text as one
 * part (`append: false`, `lastChunk: true`): streaming clients replace what they assembled with it, and the
 * stored task (GetTask, ListTasks, a blocking SendMessage) holds one part, not one per chunk.
 */
export class ArtifactStreamer {
  private whole = "";
  private sent = 0;
  private readonly responseId: string;

  constructor(
    private readonly bus: () => ExecutionEventBus,
    private readonly taskId: string,
    private readonly contextId: string,
    private readonly workspace?: string,
  ) {
    this.responseId = `${taskId}-response-${Date.now().toString(36)}`;
  }

  text(delta: string): void {
    if (!delta) return;
    this.whole += delta;
    this.publish(delta, this.sent > 0, false);
  }

  /** Ends the response artifact with the whole text (call at the end of the run, whatever the outcome). */
  finish(): void {
    if (this.sent === 0) return;
    this.publish(this.whole, false, true);
    this.sent = 0;
    this.whole = "";
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
          [
            dataPart(relativePaths({ tool, ...(result.metadata ?? {}) }, this.workspace)),
            textPart(relativePaths(result.output, this.workspace)),
          ],
        ),
        append: false,
        lastChunk: true,
        metadata: undefined,
      }),
    );
  }

  private publish(text: string, append: boolean, lastChunk: boolean): void {
    this.bus().publish(
      BusEvent.artifactUpdate({
        taskId: this.taskId,
        contextId: this.contextId,
        artifact: artifact(this.responseId, "response", "", [textPart(text)]),
        append,
        lastChunk,
        metadata: undefined,
      }),
    );
    this.sent++;
  }
}
