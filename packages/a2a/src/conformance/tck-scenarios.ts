import type { Artifact, Part } from "@a2a-js/sdk";
import { textPart } from "../executor/parts.js";

/**
 * The TCK's agent-under-test contract (a2a-tck `scenarios/core_operations.feature` and
 * `scenarios/streaming.feature`, `SUT_REQUIREMENTS.md`): what the conformance executor does for a
 * message whose `messageId` starts with a given prefix. One step list per prefix; the executor plays it.
 */
export type ScenarioStep =
  | { kind: "working" }
  | { kind: "artifact"; artifact: Artifact; append?: boolean; lastChunk?: boolean }
  | { kind: "complete"; text?: string }
  | { kind: "input-required"; text: string }
  | { kind: "reject"; text: string }
  | { kind: "message"; text: string }
  /** Stay WORKING for `factor × TCK_STREAMING_TIMEOUT` (resubscribe tests); cancel ends the wait. */
  | { kind: "wait-streaming-timeout"; factor: number };

export interface Scenario {
  prefix: string;
  /** The feature file scenario it implements, for logs and docs. */
  title: string;
  steps: ScenarioStep[];
}

function artifact(id: string, parts: Part[], name = ""): Artifact {
  return { artifactId: id, name, description: "", parts, metadata: undefined, extensions: [] };
}

function filePart(filename: string, mediaType: string, content: Part["content"]): Part {
  return { content, metadata: undefined, filename, mediaType };
}

function dataPart(value: Record<string, unknown>): Part {
  return {
    content: { $case: "data", value },
    metadata: undefined,
    filename: "",
    mediaType: "application/json",
  };
}

const textArtifact = (id: string, text: string): ScenarioStep => ({
  kind: "artifact",
  artifact: artifact(id, [textPart(text)]),
  lastChunk: true,
});

const streamed = (text: string): ScenarioStep[] => [
  { kind: "working" },
  textArtifact("stream-artifact", text),
  { kind: "complete" },
];

const fileBytes = Buffer.from("Generated file content\n", "utf8");

/**
 * Ordered so that a longer prefix wins over a shorter one it starts with
 * (`tck-artifact-file-url` before `tck-artifact-file`).
 */
export const TCK_SCENARIOS: readonly Scenario[] = [
  {
    prefix: "tck-complete-task",
    title: "Complete the task",
    steps: [{ kind: "complete", text: "Hello from TCK" }],
  },
  {
    prefix: "tck-artifact-text",
    title: "Task with text artifact",
    steps: [textArtifact("text-artifact", "Generated text content"), { kind: "complete" }],
  },
  {
    prefix: "tck-artifact-file-url",
    title: "Task with file URL artifact",
    steps: [
      {
        kind: "artifact",
        artifact: artifact("file-url-artifact", [
          filePart("output.txt", "text/plain", { $case: "url", value: "https://example.com/output.txt" }),
        ]),
        lastChunk: true,
      },
      { kind: "complete" },
    ],
  },
  {
    prefix: "tck-artifact-file",
    title: "Task with file artifact",
    steps: [
      {
        kind: "artifact",
        artifact: artifact("file-artifact", [
          filePart("output.txt", "text/plain", { $case: "raw", value: fileBytes }),
        ]),
        lastChunk: true,
      },
      { kind: "complete" },
    ],
  },
  {
    prefix: "tck-artifact-data",
    title: "Task with data artifact",
    steps: [
      {
        kind: "artifact",
        artifact: artifact("data-artifact", [dataPart({ key: "value", count: 42 })]),
        lastChunk: true,
      },
      { kind: "complete" },
    ],
  },
  {
    prefix: "tck-message-response",
    title: "Return message instead of task",
    steps: [{ kind: "message", text: "Direct message response" }],
  },
  {
    prefix: "tck-input-required",
    title: "Task requiring user input",
    steps: [{ kind: "input-required", text: "Please provide more input." }],
  },
  {
    prefix: "tck-reject-task",
    title: "Task rejected by executor",
    steps: [{ kind: "reject", text: "rejected" }],
  },
  { prefix: "tck-stream-001", title: "Basic streaming lifecycle", steps: streamed("Stream hello from TCK") },
  { prefix: "tck-stream-002", title: "Message-only stream", steps: [{ kind: "complete" }] },
  { prefix: "tck-stream-003", title: "Task lifecycle stream", steps: streamed("Stream task lifecycle") },
  {
    prefix: "tck-stream-ordering-001",
    title: "Streaming with ordered status updates",
    steps: streamed("Ordered output"),
  },
  {
    prefix: "tck-stream-artifact-text",
    title: "Streaming with text artifact",
    steps: streamed("Streamed text content"),
  },
  {
    prefix: "tck-stream-artifact-file",
    title: "Streaming with file artifact",
    steps: [
      { kind: "working" },
      {
        kind: "artifact",
        artifact: artifact("stream-file-artifact", [
          filePart("output.txt", "text/plain", { $case: "raw", value: fileBytes }),
        ]),
        lastChunk: true,
      },
      { kind: "complete" },
    ],
  },
  {
    prefix: "tck-stream-artifact-chunked",
    title: "Streaming with chunked artifact",
    steps: [
      { kind: "working" },
      {
        kind: "artifact",
        artifact: artifact("chunked-artifact", [textPart("chunk-1 ")]),
        append: false,
        lastChunk: false,
      },
      {
        kind: "artifact",
        artifact: artifact("chunked-artifact", [textPart("chunk-2")]),
        append: true,
        lastChunk: true,
      },
      { kind: "complete" },
    ],
  },
  {
    prefix: "test-resubscribe-message-id",
    title: "Long-running task for resubscription test",
    steps: [{ kind: "working" }, { kind: "wait-streaming-timeout", factor: 2 }, { kind: "complete" }],
  },
];

/** The scenario for a message id, or undefined for normal processing. */
export function scenarioFor(messageId: string): Scenario | undefined {
  return TCK_SCENARIOS.find((s) => messageId.startsWith(s.prefix));
}
