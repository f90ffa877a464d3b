import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ChatRequest, Provider, StreamChunk } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { CognitionEngine } from "../src/cognition/cognition-engine.js";
import type { ThoughtEvent } from "../src/cognition/cognition-types.js";

function thinkingProvider(tokensPerCall = 50): Provider & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    id: "scripted",
    requests,
    async listModels() {
      return [];
    },
    async *stream(request): AsyncIterable<StreamChunk> {
      requests.push(request);
      const n = requests.length;
      yield { type: "text-delta", text: `thought #${n}` };
      yield {
        type: "usage",
        usage: {
          promptTokens: tokensPerCall - 10,
          completionTokens: 10,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
        },
      };
      yield { type: "finish", reason: "stop" };
    },
  };
}

const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), "cognition-"));

describe("CognitionEngine", () => {
  it("auto-seeds root-thinker, cycles observe → reflect → test → compress with the model, persists snapshots", async () => {
    const dataDir = await tmp();
    const provider = thinkingProvider();
    const engine = new CognitionEngine({ provider, model: "m", dataDir, loopIntervalMs: 3_600_000 });
    const seen: ThoughtEvent[] = [];
    engine.subscribe((e) => seen.push(e));
    const status = await engine.start();
    expect(status.running).toBe(true);
    expect(engine.lineage().roots).toEqual(["root-thinker"]);
    for (let i = 0; i < 4; i++) await engine.tick();
    expect(seen.map((e) => e.event_type)).toEqual([
      "thought_generated",
      "hypothesis_raised",
      "check_result",
      "snapshot_compressed",
    ]);
    expect(seen[0]!.payload.text).toBe("thought #1");
    // The persona's charter reaches the model; later steps see earlier thoughts.
    expect(JSON.stringify(provider.requests[0]!.messages)).toContain("Root Thinker");
    expect(JSON.stringify(provider.requests[3]!.messages)).toContain("thought #3");
    expect(engine.latestSnapshot()?.summary).toBe("thought #4");
    expect(engine.status().latest_thought).toBe("thought #4");
    await engine.stop("test over");
    expect(engine.status().running).toBe(false);

    const reloaded = new CognitionEngine({ provider, model: "m", dataDir });
    await reloaded.load();
    expect(reloaded.latestSnapshot()?.summary).toBe("thought #4");
    expect(reloaded.registry.get("root-thinker").thought_count).toBe(4);
  });

  it("pauses a persona once its per-minute token budget is spent and resumes in the next window", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const engine = new CognitionEngine({
      provider: thinkingProvider(100),
      model: "m",
      dataDir: await tmp(),
      now: () => now,
    });
    const seen: string[] = [];
    engine.subscribe((e) => seen.push(e.event_type));
    await engine.start({
      seed_persona: {
        persona_id: "p1",
        name: "P",
        role: "r",
        charter: "c",
        policy: { token_budget_per_minute: 150 },
      },
    });
    await engine.tick();
    await engine.tick();
    await engine.tick();
    expect(seen).toEqual(["thought_generated", "hypothesis_raised", "budget_paused"]);
    now += 61_000;
    await engine.tick();
    expect(seen[3]).toBe("check_result");
    await engine.stop();
  });

  it("enforces spawn depth and branching, reaps with cascade, and reports lineage", async () => {
    const engine = new CognitionEngine({ provider: thinkingProvider(), model: "m", dataDir: await tmp() });
    engine.createPersona({
      persona_id: "a",
      name: "A",
      role: "r",
      charter: "c",
      policy: { max_spawn_depth: 1, max_branching_factor: 1 },
    });
    engine.spawn("a", { persona_id: "b", name: "B", role: "r", charter: "c" });
    expect(() => engine.spawn("a", { persona_id: "c", name: "C", role: "r", charter: "c" })).toThrow(
      /max_branching_factor/,
    );
    engine.registry.get("b").policy.max_spawn_depth = 1;
    expect(() => engine.spawn("b", { persona_id: "d", name: "D", role: "r", charter: "c" })).toThrow(
      /max_spawn_depth/,
    );
    expect(() => engine.reap("a")).toThrow(/cascade/);
    const lineage = engine.lineage();
    expect(lineage.total_edges).toBe(1);
    expect(lineage.nodes.find((n) => n.persona_id === "a")?.children).toEqual(["b"]);
    expect(engine.reap("a", { cascade: true })).toEqual({ reaped_ids: ["b", "a"], count: 2 });
    expect(() => engine.spawn("missing", { name: "x", role: "r", charter: "c" })).toThrow(/No persona/);
  });

  it("a failing model produces thought_failed events, not fake thoughts", async () => {
    const failing: Provider = {
      id: "down",
      async listModels() {
        return [];
      },
      // biome-ignore lint/correctness/useYield: a provider that fails before streaming
      async *stream() {
        throw new Error("connection refused");
      },
    };
    const engine = new CognitionEngine({ provider: failing, model: "m", dataDir: await tmp() });
    const seen: ThoughtEvent[] = [];
    engine.subscribe((e) => seen.push(e));
    await engine.start();
    await engine.tick();
    await engine.stop();
    expect(seen[0]!.event_type).toBe("thought_failed");
    expect(seen[0]!.payload.error).toMatch(/connection refused/);
  });
});

describe("cognition state file", () => {
  it("a damaged state file is an error naming the file, and is left untouched", async () => {
    const dataDir = await tmp();
    await fs.mkdir(path.join(dataDir, "cognition"));
    await fs.writeFile(path.join(dataDir, "cognition", "state.json"), "{broken");
    const engine = new CognitionEngine({ provider: thinkingProvider(), model: "m", dataDir });
    await expect(engine.load()).rejects.toThrow(/state\.json is not valid JSON.*left untouched/);
    expect(await fs.readFile(path.join(dataDir, "cognition", "state.json"), "utf8")).toBe("{broken");
  });
});
