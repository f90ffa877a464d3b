import { ProviderError, ToolRegistry } from "@codetether/core";
import { createScriptedProvider, textReply as text } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { createSwarmShareTool, RateLimitedProvider, ResultStore } from "../src/index.js";

async function drain(iterable: AsyncIterable<unknown>) {
  for await (const _ of iterable);
}

describe("RateLimitedProvider", () => {
  it("bounds concurrent calls", async () => {
    const inner = createScriptedProvider(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return text("x");
    });
    const limited = new RateLimitedProvider(inner, { maxConcurrent: 3 });
    await Promise.all(Array.from({ length: 10 }, () => drain(limited.stream({ model: "m", messages: [] }))));
    expect(inner.maxInFlight).toBe(3);
    expect(limited.stats.requests).toBe(10);
    expect(limited.stats.tokens).toBe(150);
  });

  it("pauses every caller after a 429 for the server's Retry-After", async () => {
    let calls = 0;
    const inner = createScriptedProvider(() => {
      calls++;
      if (calls === 1)
        throw new ProviderError("slow down", {
          provider: "fake",
          kind: "rate_limit",
          status: 429,
          retryAfterMs: 300,
        });
      return text("ok");
    });
    const limited = new RateLimitedProvider(inner);
    await expect(drain(limited.stream({ model: "m", messages: [] }))).rejects.toThrow(/slow down/);
    const started = Date.now();
    await drain(limited.stream({ model: "m", messages: [] }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(limited.stats.rateLimited).toBe(1);
  });

  it("waits for the tokens-per-minute budget and stops waiting on abort", async () => {
    const inner = createScriptedProvider(() => text("x"));
    const limited = new RateLimitedProvider(inner, { tokensPerMinute: 100, estimateTokens: () => 80 });
    await drain(limited.stream({ model: "m", messages: [] }));
    // The booked usage is now the actual 15 tokens; 15 + 80 fits the budget.
    await drain(limited.stream({ model: "m", messages: [] }));
    const controller = new AbortController();
    const third = drain(limited.stream({ model: "m", messages: [] }, controller.signal));
    setTimeout(() => controller.abort(), 30);
    await expect(third).rejects.toThrow(/abort/i);
    expect(inner.requests).toHaveLength(2);
  });
});

describe("swarm_share store", () => {
  const ctx = (id: string) => ({
    cwd: "/",
    workspaceRoot: "/",
    signal: new AbortController().signal,
    sessionId: "s",
    callId: "c",
    emit() {},
    services: { swarmSubtaskId: id },
  });

  it("publishes, gets and queries by tag and prefix", async () => {
    const store = new ResultStore();
    const tools = new ToolRegistry().register(createSwarmShareTool(store));
    const call = (args: unknown, who = "a") =>
      tools.execute({ id: "1", name: "swarm_share", arguments: JSON.stringify(args) }, ctx(who));
    await call({ action: "publish", key: "api/users", value: "U", tags: ["api"] });
    await call({ action: "publish", key: "api/posts", value: "P", tags: ["api", "draft"] }, "b");
    await call({ action: "publish", key: "notes", value: "N" });
    expect((await call({ action: "get", key: "api/posts" })).output).toBe(
      "[api/posts] from b tags=api,draft\nP",
    );
    expect(store.query({ prefix: "api/" }).map((e) => e.key)).toEqual(["api/users", "api/posts"]);
    expect(store.query({ tags: ["api", "draft"] }).map((e) => e.key)).toEqual(["api/posts"]);
    const missing = await call({ action: "get", key: "nope" });
    expect(missing.isError).toBe(true);
    expect(missing.output).toMatch(/Keys: api\/users, api\/posts, notes/);
  });

  it("rejects bad keys, huge values and a full store", async () => {
    const store = new ResultStore({ maxEntries: 2, maxValueChars: 10 });
    const tools = new ToolRegistry().register(createSwarmShareTool(store));
    const call = (args: unknown) =>
      tools.execute({ id: "1", name: "swarm_share", arguments: JSON.stringify(args) }, ctx("a"));
    expect((await call({ action: "publish", key: "../../x y", value: "v" })).output).toMatch(/Invalid key/);
    expect((await call({ action: "publish", key: "k", value: "x".repeat(11) })).output).toMatch(
      /limit is 10/,
    );
    await call({ action: "publish", key: "k1", value: "v" });
    await call({ action: "publish", key: "k2", value: "v" });
    expect((await call({ action: "publish", key: "k3", value: "v" })).output).toMatch(/full/);
    expect((await call({ action: "publish", key: "k1", value: "v2" })).isError).toBeUndefined();
    expect((await call({ action: "delete", key: "k1" })).output).toMatch(/Invalid arguments/);
  });
});
