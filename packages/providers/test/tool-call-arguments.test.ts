import { describe, expect, it } from "vitest";
import { parseToolCallArguments } from "../src/shared/tool-call-arguments.js";

describe("parseToolCallArguments", () => {
  it("parses objects, wraps other JSON values and keeps unparseable text", () => {
    expect(parseToolCallArguments('{"path":"a.ts"}')).toEqual({ path: "a.ts" });
    expect(parseToolCallArguments("  ")).toEqual({});
    expect(parseToolCallArguments("[1,2]")).toEqual({ value: [1, 2] });
    expect(parseToolCallArguments("null")).toEqual({ value: null });
    expect(parseToolCallArguments('{"path": "a.ts"')).toEqual({ _raw: '{"path": "a.ts"' });
  });
});
