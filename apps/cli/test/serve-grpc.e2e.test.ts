import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";
import { startServe, useServeCleanup, waitFor } from "./serve-helpers.js";

const TOKEN = "serve-grpc-token-0123456789abcdef";
const { children, serveBox } = useServeCleanup("SIGTERM");

interface Card {
  supportedInterfaces: Array<{ url: string; protocolBinding: string; protocolVersion: string }>;
}

async function cardOf(url: string): Promise<Card> {
  const res = await fetch(`${url}/.well-known/agent-card.json`, { headers: { "a2a-version": "1.0" } });
  return (await res.json()) as Card;
}

describe("codetether serve over gRPC (built binary)", () => {
  it("serves A2A over gRPC next to HTTP: card, a2a send --binding grpc, auth and audit", async () => {
    const { box, model, env } = await serveBox(
      [{ text: "Hello over gRPC." }, { text: "Blocking over gRPC." }],
      {
        CODETETHER_AUTH_TOKEN: TOKEN,
      },
    );
    const serve = await startServe(["-m", "openai/gpt-4o"], env, box.work, children);
    const grpcUrl = /A2A gRPC: (\S+:\d+)/.exec(serve.output())?.[1];
    expect(grpcUrl).toMatch(/^127\.0\.0\.1:\d+$/);

    const card = await cardOf(serve.url);
    expect(card.supportedInterfaces).toContainEqual({
      url: grpcUrl,
      protocolBinding: "GRPC",
      protocolVersion: "1.0",
    });

    const denied = await runCli(["a2a", "send", "--binding", "grpc", "--url", serve.url, "hi"], {
      cwd: box.work,
      env: box.env,
    });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/UNAUTHENTICATED/);
    expect(denied.stderr).toMatch(/token/i);
    const wrong = await runCli(
      ["a2a", "send", "--binding", "grpc", "--url", serve.url, "--token", "wrong-token-0123456789", "hi"],
      { cwd: box.work, env: box.env },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/UNAUTHENTICATED/);
    expect(model.requests.length).toBe(0);

    const streamed = await runCli(
      ["a2a", "send", "--binding", "grpc", "--url", serve.url, "--token", TOKEN, "say hello"],
      { cwd: box.work, env: box.env },
    );
    expect(streamed.stderr).toBe("");
    expect(streamed.code).toBe(0);
    expect(streamed.stdout).toContain("Hello over gRPC.");
    expect(JSON.stringify(model.requests[0])).toContain("say hello");

    const blocking = await runCli(
      ["a2a", "send", "--binding", "grpc", "--url", serve.url, "--no-stream", "--json", "again"],
      { cwd: box.work, env: { ...box.env, CODETETHER_TOKEN: TOKEN } },
    );
    expect(blocking.code).toBe(0);
    const events = blocking.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; state?: string });
    expect(events.at(-1)).toMatchObject({ state: "TASK_STATE_COMPLETED" });

    // Every authorized gRPC call has an api.call record; refused ones are in the failed-auth records.
    const audit = await waitFor(
      async () => {
        const res = await fetch(`${serve.url}/v1/audit/events?limit=1000`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const body = (await res.json()) as {
          records: Array<{ action: string; resource: string; outcome: string }>;
        };
        const calls = body.records.filter((r) => r.action === "api.call" && r.resource.startsWith("GRPC "));
        return calls.length >= 2 ? body.records : undefined;
      },
      10_000,
      "gRPC audit records",
    );
    const resources = (audit ?? []).filter((r) => r.action === "api.call").map((r) => r.resource);
    expect(resources).toContain("GRPC /lf.a2a.v1.A2AService/SendStreamingMessage");
    expect(resources).toContain("GRPC /lf.a2a.v1.A2AService/SendMessage");
    expect(JSON.stringify(audit)).not.toContain(TOKEN);

    serve.child.kill("SIGINT");
    expect(await serve.exited).toBe(0);
  });

  it("--grpc-port 0 disables gRPC: no listener, no GRPC interface, and a2a send --binding grpc says so", async () => {
    const box = await makeSandbox();
    const serve = await startServe(["--a2a-conformance", "--grpc-port", "0"], box.env, box.work, children);
    expect(serve.output()).toContain("A2A gRPC: off");
    const card = await cardOf(serve.url);
    expect(card.supportedInterfaces.map((i) => i.protocolBinding)).not.toContain("GRPC");
    const token = /Bearer token: (\S+)/.exec(serve.output())?.[1] ?? "";
    const sent = await runCli(
      ["a2a", "send", "--binding", "grpc", "--url", serve.url, "--token", token, "ping"],
      {
        cwd: box.work,
        env: box.env,
      },
    );
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain("declares no GRPC interface");
  });

  it("a bad --grpc-port exits 2", async () => {
    const box = await makeSandbox();
    const res = await runCli(["serve", "--grpc-port", "70000"], { cwd: box.work, env: box.env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--grpc-port must be a port number");
  });
});
