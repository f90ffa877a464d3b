import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, start } from "./helpers.js";

let server: Awaited<ReturnType<typeof start>>;
beforeAll(async () => {
  server = await start({ cognition: { loopIntervalMs: 3_600_000 } });
});
afterAll(async () => {
  await server.close();
});

const json = { ...auth, "content-type": "application/json" };
async function post(path: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: json,
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { fields?: unknown[]; message: string } },
  };
}
async function get(path: string) {
  const res = await fetch(`${server.url}${path}`, { headers: auth });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("health and sessions", () => {
  it("GET /health is public", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  it("an A2A task creates a session for its context; GET /v1/sessions and /v1/sessions/:id show it", async () => {
    const contextId = randomUUID();
    const res = await fetch(`${server.url}/a2a`, {
      method: "POST",
      headers: { ...json, "a2a-version": "1.0" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "SendMessage",
        params: {
          message: { messageId: randomUUID(), contextId, role: "ROLE_USER", parts: [{ text: "hi" }] },
        },
      }),
    });
    const task = ((await res.json()) as { result: { task: { status: { state: string } } } }).result.task;
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    const list = await get("/v1/sessions");
    const sessions = list.body.sessions as Array<{ id: string }>;
    const id = sessions.find((s) => s.id.includes(contextId.replace(/-/g, "-")))?.id;
    expect(id).toBeDefined();
    const one = await get(`/v1/sessions/${id}`);
    expect((one.body.messages as unknown[]).length).toBe(2);
    expect((await get("/v1/sessions/nope")).status).toBe(404);
    expect((await get("/v1/sessions/..%2Fetc")).status).toBe(400);
    expect((await get("/v1/sessions?limit=0")).status).toBe(400);
  });
});

describe("audit endpoints", () => {
  it("every API call is audited; events page with ?after; POST /v1/audit/query filters", async () => {
    await get("/v1/swarm/lineage");
    await new Promise((r) => setTimeout(r, 30));
    const page = await get("/v1/audit/events?limit=1000");
    const records = page.body.records as Array<{
      seq: number;
      action: string;
      resource: string;
      outcome: string;
    }>;
    expect(records.some((r) => r.action === "api.call" && r.resource === "GET /v1/swarm/lineage")).toBe(true);
    const first = await get("/v1/audit/events?limit=1");
    expect((first.body.records as unknown[]).length).toBe(1);
    const next = await get(`/v1/audit/events?limit=1&after=${first.body.next_after}`);
    expect((next.body.records as Array<{ seq: number }>)[0]!.seq).toBeGreaterThan(
      (first.body.records as Array<{ seq: number }>)[0]!.seq,
    );
    const filtered = await post("/v1/audit/query", { resource: "GET /v1/swarm/lineage", limit: 10 });
    expect(
      (filtered.body.records as Array<{ resource: string }>).every(
        (r) => r.resource === "GET /v1/swarm/lineage",
      ),
    ).toBe(true);
    const bad = await post("/v1/audit/query", { limit: "ten", bogus: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields?.length).toBeGreaterThan(0);
    expect((await get("/v1/audit/events?limit=5000")).status).toBe(400);
  });
});

describe("cognition and persona APIs", () => {
  it("validates bodies with field errors", async () => {
    const bad = await post("/v1/swarm/personas", { name: "", role: 5 });
    expect(bad.status).toBe(400);
    const fields = (bad.body.error?.fields ?? []) as Array<{ path: string }>;
    expect(fields.map((f) => f.path)).toEqual(expect.arrayContaining(["name", "role", "charter"]));
    const badStart = await post("/v1/cognition/start", { loop_interval_ms: -1 });
    expect(badStart.status).toBe(400);
    const badJson = await fetch(`${server.url}/v1/cognition/start`, {
      method: "POST",
      headers: json,
      body: "{",
    });
    expect(badJson.status).toBe(400);
  });

  it("start seeds root-thinker; the SSE stream carries thought events from the model; snapshots; stop", async () => {
    expect((await get("/v1/cognition/snapshots/latest")).status).toBe(404);
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/v1/cognition/stream`, {
      headers: auth,
      signal: controller.signal,
    });
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);
    const started = await post("/v1/cognition/start", {});
    expect(started.body.running).toBe(true);
    expect(started.body.active_persona_count).toBe(1);
    const lineage = await get("/v1/swarm/lineage");
    expect(lineage.body.roots).toEqual(["root-thinker"]);
    for (let i = 0; i < 4; i++) await server.cognition!.tick();

    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while ((text.match(/event: cognition/g) ?? []).length < 4) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    const events = text
      .split("\n\n")
      .filter((b) => b.startsWith("event: cognition"))
      .map((b) =>
        JSON.parse(
          b
            .split("\n")
            .find((l) => l.startsWith("data: "))!
            .slice(6),
        ),
      );
    expect(events.map((e) => e.event_type)).toEqual([
      "thought_generated",
      "hypothesis_raised",
      "check_result",
      "snapshot_compressed",
    ]);
    expect(events[0].persona_id).toBe("root-thinker");
    expect(events[0].payload.text).toMatch(/^reply #\d+$/);
    const snapshot = await get("/v1/cognition/snapshots/latest");
    expect(snapshot.status).toBe(200);
    expect(snapshot.body.persona_scope).toEqual(["root-thinker"]);
    const status = await get("/v1/cognition/status");
    expect(status.body.latest_thought).toMatch(/^reply #/);
    const stopped = await post("/v1/cognition/stop", { reason: "test" });
    expect(stopped.body.running).toBe(false);
  });

  it("create, spawn, reap with cascade, lineage", async () => {
    const created = await post("/v1/swarm/personas", {
      persona_id: "lead",
      name: "Lead",
      role: "planner",
      charter: "plan",
    });
    expect(created.status).toBe(201);
    const child = await post("/v1/swarm/personas/lead/spawn", {
      persona_id: "kid",
      name: "Kid",
      role: "coder",
      charter: "code",
    });
    expect(child.status).toBe(201);
    expect((child.body.identity as { depth: number }).depth).toBe(1);
    expect(
      (await post("/v1/swarm/personas/missing/spawn", { name: "x", role: "y", charter: "z" })).status,
    ).toBe(404);
    expect((await post("/v1/swarm/personas/lead/reap", {})).status).toBe(409);
    const reaped = await post("/v1/swarm/personas/lead/reap", { cascade: true, reason: "done" });
    expect(reaped.body).toEqual({ reaped_ids: ["kid", "lead"], count: 2 });
    const lineage = await get("/v1/swarm/lineage");
    const nodes = lineage.body.nodes as Array<{ persona_id: string; status: string }>;
    expect(nodes.find((n) => n.persona_id === "kid")?.status).toBe("reaped");
  });
});

describe("cognition SSE keep-alive and replay", () => {
  it("sends ': keep-alive' comments on an idle stream and replays buffered events on request", async () => {
    const s = await start({ keepAliveMs: 25, cognition: { loopIntervalMs: 3_600_000 } });
    try {
      await s.cognition!.start();
      await s.cognition!.tick();
      const controller = new AbortController();
      const res = await fetch(`${s.url}/v1/cognition/stream?replay=10`, {
        headers: auth,
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      while ((text.match(/: keep-alive/g) ?? []).length < 2) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      controller.abort();
      expect(text).toContain("event: cognition");
      expect(text).toContain('"event_type":"thought_generated"');
      expect((text.match(/: keep-alive/g) ?? []).length).toBe(2);
    } finally {
      await s.close();
    }
  });
});

describe("extended agent card", () => {
  it("needs the token and names the model; the public card does not", async () => {
    const rest = await fetch(`${server.url}/a2a/rest/extendedAgentCard`, {
      headers: { ...auth, "a2a-version": "1.0" },
    });
    const extended = (await rest.json()) as { description: string };
    expect(extended.description).toContain("Model: scripted/m1");
    const pub = (await (
      await fetch(`${server.url}/.well-known/agent-card.json`, { headers: { "a2a-version": "1.0" } })
    ).json()) as {
      description: string;
    };
    expect(pub.description).not.toContain("Model:");
    expect(
      (await fetch(`${server.url}/a2a/rest/extendedAgentCard`, { headers: { "a2a-version": "1.0" } })).status,
    ).toBe(401);
  });
});
