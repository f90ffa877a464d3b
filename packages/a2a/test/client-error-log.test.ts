import {
  A2AError,
  ContentTypeNotSupportedError,
  InvalidAgentResponseError,
  TaskNotFoundError,
} from "@a2a-js/sdk/errors";
import { describe, expect, it } from "vitest";
import { installClientErrorLogFilter, isExpectedClientError } from "../src/index.js";

function fakeConsole() {
  const lines: string[] = [];
  const target = {
    error: (...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Error ? (a.stack ?? String(a)) : String(a))).join(" "));
    },
  } as unknown as Console;
  installClientErrorLogFilter(target);
  installClientErrorLogFilter(target); // idempotent
  return { target, lines };
}

describe("client error log filter", () => {
  it("logs a client's mistake as one line without a stack", () => {
    const { target, lines } = fakeConsole();
    target.error("Pre-stream error for request 7:", new TaskNotFoundError("Task not found: x"));
    target.error("SSE streaming error:", new ContentTypeNotSupportedError("Part 0 has\nmedia type y"));
    expect(lines).toEqual([
      "Pre-stream error for request 7: TaskNotFoundError: Task not found: x",
      "SSE streaming error: ContentTypeNotSupportedError: Part 0 has media type y",
    ]);
  });

  it("keeps the stack of real server errors", () => {
    const { target, lines } = fakeConsole();
    target.error("Unhandled error in JSON-RPC POST handler:", new Error("disk full"));
    target.error("Pre-stream error:", new A2AError({ message: "boom" }) /* reason INTERNAL_ERROR */);
    target.error("Pre-stream error:", new InvalidAgentResponseError("bad"));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/\n\s+at /);
    expect(isExpectedClientError(new Error("x"))).toBe(false);
    expect(isExpectedClientError("TaskNotFoundError")).toBe(false);
  });
});
