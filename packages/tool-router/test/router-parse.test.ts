import { describe, expect, it } from "vitest";
import { Semaphore, ToolRouter } from "../src/index.js";
import { settings, writeTool } from "./helpers.js";

describe("Semaphore", () => {
  it("admits `limit` holders, queues the rest in order, and drops aborted waiters", async () => {
    const sem = new Semaphore(2);
    const a = await sem.acquire();
    const b = await sem.acquire();
    const order: string[] = [];
    const c = sem.acquire().then((release) => {
      order.push("c");
      return release;
    });
    const abort = new AbortController();
    const d = sem.acquire(abort.signal);
    const e = sem.acquire().then((release) => {
      order.push("e");
      return release;
    });
    expect(sem.waiting).toBe(3);
    abort.abort(new Error("gave up"));
    await expect(d).rejects.toThrow("gave up");
    a();
    a(); // releasing twice is harmless
    (await c)();
    b();
    (await e)();
    expect(order).toEqual(["c", "e"]);
    expect(sem.inUse).toBe(0);
    expect(() => new Semaphore(0)).toThrow(/at least 1/);
  });
});

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
