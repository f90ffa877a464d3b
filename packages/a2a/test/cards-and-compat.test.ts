import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TOKEN, useHarness } from "./helpers/harness.js";
import { expectSchema } from "./helpers/schema.js";
import type { Wire } from "./helpers/sse.js";

const h = useHarness();

describe("agent cards", () => {
  it("serves a public, schema-valid v1.0 card listing the served interfaces, skills and bearer security", async () => {
    const res = await fetch(`${h.url}/.well-known/agent-card.json`, { headers: { "a2a-version": "1.0" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBeTruthy();
    expect(res.headers.get("cache-control")).toMatch(/max-age/);
    const card = (await res.json()) as Wire;
    expectSchema("AgentCard", card);
    const bindings = card.supportedInterfaces.map((i: Wire) => `${i.protocolBinding}@${i.protocolVersion}`);
    expect(bindings).toEqual(
      expect.arrayContaining(["JSONRPC@1.0", "HTTP+JSON@1.0", "JSONRPC@0.3", "HTTP+JSON@0.3"]),
    );
    expect(card.skills.map((s: Wire) => s.id)).toEqual(
      expect.arrayContaining(["code-generation", "code-review", "debugging"]),
    );
    expect(card.securitySchemes.bearer.httpAuthSecurityScheme.scheme).toBe("Bearer");
    expect(card.securityRequirements[0].schemes.bearer).toBeDefined();
    // Every advertised interface really answers.
    for (const i of card.supportedInterfaces.filter((x: Wire) => x.protocolVersion === "1.0")) {
      const path = new URL(i.url).pathname;
      const r =
        i.protocolBinding === "JSONRPC"
          ? await fetch(`${h.url}${path}`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                authorization: `Bearer ${TOKEN}`,
                "a2a-version": "1.0",
              },
              body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ListTasks", params: {} }),
            })
          : await fetch(`${h.url}${path}/tasks`, {
              headers: { authorization: `Bearer ${TOKEN}`, "a2a-version": "1.0" },
            });
      expect(r.status, i.url).toBe(200);
    }
  });

  it("the legacy /.well-known/agent.json path is served too; without A2A-Version a v0.3 card with url", async () => {
    const res = await fetch(`${h.url}/.well-known/agent.json`);
    expect(res.status).toBe(200);
    const card = (await res.json()) as Wire;
    expect(card.url).toMatch(/\/a2a/);
    expect(card.protocolVersion).toMatch(/^0\.3/);
  });
});

describe("v0.3 compatibility (missing A2A-Version ⇒ 0.3)", () => {
  const headers = { "content-type": "application/json", authorization: `Bearer ${TOKEN}` };

  it("message/send with v0.3 shapes returns a v0.3 task (kind, kebab-case state)", async () => {
    const res = await fetch(`${h.url}/a2a`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: "a",
        method: "message/send",
        params: {
          message: {
            kind: "message",
            messageId: randomUUID(),
            role: "user",
            parts: [{ kind: "text", text: "hello" }],
          },
        },
      }),
    });
    const body = (await res.json()) as Wire;
    expect(body.result.kind).toBe("task");
    expect(body.result.status.state).toBe("completed");
    const get = await fetch(`${h.url}/a2a`, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: "b", method: "tasks/get", params: { id: body.result.id } }),
    });
    expect(((await get.json()) as Wire).result.id).toBe(body.result.id);
  });

  it("v1.0 method names without the header are not v1.0 (version negotiation)", async () => {
    const res = await fetch(`${h.url}/a2a`, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }),
    });
    const body = (await res.json()) as Wire;
    expect(body.error.code).toBe(-32601);
  });
});
