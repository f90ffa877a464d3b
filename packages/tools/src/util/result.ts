import type { ToolResult } from "@codetether/core";

/** An error result for the model: says what was wrong and what to do instead. */
export function fail(output: string, metadata?: Record<string, unknown>): ToolResult {
  return { output, isError: true, ...(metadata ? { metadata } : {}) };
}
