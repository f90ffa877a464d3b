import { describe, expect, it } from "vitest";
import { scenarioFor, streamingTimeoutMs, TCK_SCENARIOS } from "../src/index.js";

describe("TCK scenario table", () => {
  it("picks the longest matching prefix and nothing for ordinary ids", () => {
    expect(scenarioFor("tck-artifact-file-url-123")?.title).toBe("Task with file URL artifact");
    expect(scenarioFor("tck-artifact-file-123")?.title).toBe("Task with file artifact");
    expect(scenarioFor("test-resubscribe-message-id-9")?.steps.map((s) => s.kind)).toEqual([
      "working",
      "wait-streaming-timeout",
      "complete",
    ]);
    expect(scenarioFor("msg-1")).toBeUndefined();
    expect(scenarioFor("x-tck-complete-task")).toBeUndefined();
  });

  it("covers every scenario of the feature files", () => {
    const prefixes = TCK_SCENARIOS.map((s) => s.prefix);
    for (const p of [
      "tck-complete-task",
      "tck-artifact-text",
      "tck-artifact-file",
      "tck-artifact-file-url",
      "tck-artifact-data",
      "tck-message-response",
      "tck-input-required",
      "tck-reject-task",
      "tck-stream-001",
      "tck-stream-002",
      "tck-stream-003",
      "tck-stream-ordering-001",
      "tck-stream-artifact-text",
      "tck-stream-artifact-file",
      "tck-stream-artifact-chunked",
      "test-resubscribe-message-id",
    ])
      expect(prefixes).toContain(p);
  });

  it("reads TCK_STREAMING_TIMEOUT in seconds and names the variable on bad values", () => {
    expect(streamingTimeoutMs({})).toBe(2000);
    expect(streamingTimeoutMs({ TCK_STREAMING_TIMEOUT: "0.25" })).toBe(250);
    expect(() => streamingTimeoutMs({ TCK_STREAMING_TIMEOUT: "soon" })).toThrow(/TCK_STREAMING_TIMEOUT/);
    expect(() => streamingTimeoutMs({ TCK_STREAMING_TIMEOUT: "-1" })).toThrow(/between 0 and 3600/);
  });
});
