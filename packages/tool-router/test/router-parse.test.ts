import { describe, expect, it } from "vitest";
import { ToolRouter } from "../src/index.js";
import { settings, writeTool } from "./helpers.js";

describe("ToolRouter.parse", () => {
  it("rejects non-JSON without echoing it and drops unknown tools", () => {
    const logs: string[] = [];
    const router = new ToolRouter({ settings: settings("/unused.gguf"), log: (l) => logs.push(l) });
    expect(() => router.parse("sk-secret-token {", [writeTool])).toThrow(
      /router output is not JSON \(17 chars\)/,
    );
    try {
      router.parse("sk-secret-token {", [writeTool]);
    } catch (err) {
      expect((err as Error).message).not.toContain("sk-secret");
    }
    const calls = router.parse(
      JSON.stringify({
        calls: [
          { name: "rm_rf", arguments: {} },
          { name: "write", arguments: { path: "a", content: "b" } },
        ],
      }),
      [writeTool],
    );
    expect(calls.map((c) => c.name)).toEqual(["write"]);
    expect(logs).toEqual(['[tool-router] dropped a call to unknown tool "rm_rf"']);
  });
});
