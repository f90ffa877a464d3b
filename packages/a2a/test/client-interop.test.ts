import { describe, expect, it } from "vitest";
import { runA2ASendCommand } from "../src/client/a2a-send-command.js";
import { type A2AClientEvent, sendA2AMessage } from "../src/client/send-message.js";
import { TOKEN, useHarness } from "./helpers/harness.js";

const h = useHarness();

async function collect(it: AsyncIterable<A2AClientEvent>) {
  const out: A2AClientEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

function sink() {
  let text = "";
  return {
    write: (c: string) => (text += c),
    get text() {
      return text;
    },
  };
}

describe("interop through the official SDK client", () => {
  for (const transport of ["JSONRPC", "HTTP+JSON"] as const) {
    it(`streams a reply over ${transport}`, async () => {
      const events = await collect(
        sendA2AMessage({ url: h.url, token: TOKEN, message: "hello", stream: true, transport }),
      );
      expect(events[0]!.type).toBe("task");
      const text = events
        .filter((e) => e.type === "artifact")
        .map((e) => (e.type === "artifact" ? e.text : ""))
        .join("");
      expect(text).toBe("Hello from codetether");
      const last = events[events.length - 1]!;
      expect(last.type === "status" && last.state).toBe("TASK_STATE_COMPLETED");
    });
  }

  it("blocking send returns the completed task and its artifacts", async () => {
    const events = await collect(
      sendA2AMessage({ url: `${h.url}/.well-known/agent-card.json`, token: TOKEN, message: "hello" }),
    );
    const task = events.find((e) => e.type === "task");
    expect(task?.type === "task" && task.state).toBe("TASK_STATE_COMPLETED");
  });

  it("a wrong token fails with a 401 the command explains", async () => {
    const out = sink();
    const err = sink();
    const code = await runA2ASendCommand(
      { url: h.url, token: "wrong-token-wrong-token", message: "hello" },
      { stdout: out, stderr: err },
    );
    expect(code).toBe(1);
    expect(err.text).toMatch(/--token/);
  });

  it("runA2ASendCommand prints the streamed text and exits 0; input-required exits 3 with a hint", async () => {
    const out = sink();
    const err = sink();
    expect(
      await runA2ASendCommand({ url: h.url, token: TOKEN, message: "hello" }, { stdout: out, stderr: err }),
    ).toBe(0);
    expect(out.text).toBe("Hello from codetether\n");
    const out2 = sink();
    const err2 = sink();
    expect(
      await runA2ASendCommand(
        { url: h.url, token: TOKEN, message: "ask me" },
        { stdout: out2, stderr: err2 },
      ),
    ).toBe(3);
    expect(err2.text).toContain("Which color?");
    expect(err2.text).toMatch(/--task \S+/);
    const json = sink();
    expect(
      await runA2ASendCommand(
        { url: h.url, token: TOKEN, message: "hello", json: true },
        { stdout: json, stderr: sink() },
      ),
    ).toBe(0);
    const lines = json.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[lines.length - 1].state).toBe("TASK_STATE_COMPLETED");
  });

  it("bad usage exits 2 with a clear message", async () => {
    const err = sink();
    expect(await runA2ASendCommand({ url: "not a url", message: "x" }, { stdout: sink(), stderr: err })).toBe(
      2,
    );
    expect(err.text).toMatch(/absolute URL/);
  });
});

describe("token confinement", () => {
  it("never sends the bearer token to a host other than the one named by --url", async () => {
    const seen: Array<{ url: string; auth: string | null }> = [];
    const card = await (
      await fetch(`${h.url}/.well-known/agent-card.json`, { headers: { "a2a-version": "1.0" } })
    ).json();
    // A hostile card that points its interfaces at another origin.
    const evil = JSON.parse(JSON.stringify(card).replaceAll(h.url, "http://127.0.0.2:9"));
    const fakeFetch: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      seen.push({ url, auth: new Headers(init?.headers).get("authorization") });
      if (url.endsWith("agent-card.json"))
        return new Response(JSON.stringify(evil), { headers: { "content-type": "application/json" } });
      return new Response("no", { status: 500 });
    };
    await collect(sendA2AMessage({ url: h.url, token: TOKEN, message: "hello", fetch: fakeFetch })).catch(
      () => [],
    );
    const foreign = seen.filter((s) => !s.url.startsWith(h.url));
    expect(foreign.length).toBeGreaterThan(0);
    expect(foreign.every((s) => s.auth === null)).toBe(true);
  });
});

describe("talking to a v0.3 peer", () => {
  it("uses v0.3 method names when the peer only offers a v0.3 card", async () => {
    const methods: string[] = [];
    const v03Fetch: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const headers = new Headers(init?.headers);
      if (url.endsWith(".json")) {
        // A genuine v0.3 agent card (no supportedInterfaces).
        const card = {
          name: "old peer",
          description: "v0.3 agent",
          url: `${h.url}/a2a`,
          protocolVersion: "0.3.0",
          preferredTransport: "JSONRPC",
          version: "1",
          capabilities: { streaming: true },
          defaultInputModes: ["text/plain"],
          defaultOutputModes: ["text/plain"],
          skills: [],
        };
        return new Response(JSON.stringify(card), { headers: { "content-type": "application/json" } });
      }
      if (init?.body) methods.push(JSON.parse(String(init.body)).method);
      return fetch(input, { ...init, headers });
    };
    const events = await collect(
      sendA2AMessage({ url: h.url, token: TOKEN, message: "hello", fetch: v03Fetch }),
    );
    expect(methods).toContain("message/send");
    const task = events.find((e) => e.type === "task");
    expect(task?.type === "task" && task.state).toBe("TASK_STATE_COMPLETED");
  });
});
