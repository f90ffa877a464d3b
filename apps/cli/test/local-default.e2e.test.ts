import path from "node:path";
import { writeTinyGguf } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";

describe("embedded default: the local llama.cpp provider", () => {
  it("with no provider configured, run answers from a local GGUF (here a generated tiny one)", async () => {
    const { dir, work, env } = await makeSandbox();
    const model = path.join(dir, "tiny.gguf");
    await writeTinyGguf(model, { ctx: 32768 });
    const res = await runCli(["run", "--json", "--max-steps", "1", "hello"], {
      cwd: work,
      env: {
        ...env,
        CODETETHER_LOCAL_MODEL: model,
        CODETETHER_LOCAL_THREADS: "1",
        CODETETHER_LOCAL_CONTEXT: "32768",
        CODETETHER_LOCAL_MAX_TOKENS: "24",
      },
    });
    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: "turn-start", model: "local/default" });
    const usage = events.find((e) => e.type === "usage");
    expect(usage.usage.completionTokens).toBeGreaterThan(0);
    expect(usage.usage.promptTokens).toBeGreaterThan(1000);
    // A random-weight model answers with noise or a tool call; either way the real llama.cpp path ran.
    expect(["done"]).toContain(events.at(-1).type);
  });

  it("offline with no model file, it fails fast with where to put one and how to set a key instead", async () => {
    const { work, env } = await makeSandbox();
    const res = await runCli(["run", "hello"], { cwd: work, env: { ...env, CODETETHER_OFFLINE: "1" } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("CODETETHER_LOCAL_MODEL");
    expect(res.stderr).toContain("OPENAI_API_KEY");
    expect(res.stderr).not.toContain("retry");
  });

  it("models --pull resolves a local model file, and fails fast offline for an hf: URI", async () => {
    const { dir, work, env } = await makeSandbox();
    const model = path.join(dir, "tiny.gguf");
    await writeTinyGguf(model, {});
    const ok = await runCli(["models", "--pull", model], { cwd: work, env });
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe(model);
    const offline = await runCli(["models", "--pull", "hf:someone/model-GGUF:Q4_K_M"], {
      cwd: work,
      env: { ...env, CODETETHER_OFFLINE: "1" },
    });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain("CODETETHER_LOCAL_MODEL");
  });
});
