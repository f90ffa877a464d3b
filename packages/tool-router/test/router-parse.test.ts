import { describe, expect, it } from "vitest";
import { ToolRouter } from "../src/index.js";
import { settings, writeTool } from "./helpers.js";

const E = "<escape>";

describe("ToolRouter.parse", () => {
  it("decodes FunctionGemma calls, drops unknown tools and invalid arguments without echoing values", () => {
    const logs: string[] = [];
    const router = new ToolRouter({ settings: settings("/unused.gguf"), log: (l) => logs.push(l) });
    expect(router.parse("sk-secret-token {", [writeTool])).toEqual([]);
    const calls = router.parse(
      `<start_function_call>call:rm_rf{}<end_function_call>` +
        `<start_function_call>call:write{content:${E}b${E},path:${E}a${E}}<end_function_call>` +
        `<start_function_call>call:write{content:${E}sk-secret-token${E},path:${E}${E}}<end_function_call>`,
      [writeTool],
    );
    expect(calls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ["write", { content: "b", path: "a" }],
    ]);
    expect(calls[0]?.id).toMatch(/^route_/);
    expect(logs).toEqual([
      '[tool-router] dropped a call to unknown tool "rm_rf"',
      '[tool-router] dropped a call to "write": $.path: shorter than 1 characters',
    ]);
    expect(logs.join("\n")).not.toContain("sk-secret");
  });
});
