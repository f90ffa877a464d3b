import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";
import { startServe as startServeProcess, useServeCleanup } from "./serve-helpers.js";

const TOKEN = "serve-e2e-token-0123456789abcdef";
const { children, serveBox } = useServeCleanup("SIGTERM");

const startServe = (args: string[], env: Record<string, string>, cwd: string) =>
  startServeProcess(args, env, cwd, children);

describe("codetether serve / a2a send (built binary)", () => {
  it("serves /health, refuses calls without the token, publishes the card, and answers a2a send", async () => {
    const { box, model, env } = await serveBox(
      [{ text: "Hello from the scripted model." }, { text: "Again." }],
      { CODETETHER_AUTH_TOKEN: TOKEN },
    );
    const serve = await startServe(["-m", "openai/gpt-4o"], env, box.work);
    expect(serve.output()).toContain("Bearer token: from CODETETHER_AUTH_TOKEN");
    expect(serve.output()).not.toContain(TOKEN);

    const health = await fetch(`${serve.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });

    const noToken = await fetch(`${serve.url}/a2a/rest/tasks`, { headers: { "A2A-Version": "1.0" } });
    expect(noToken.status).toBe(401);
    const wrongToken = await fetch(`${serve.url}/v1/sessions`, { headers: { authorization: "Bearer nope" } });
    expect(wrongToken.status).toBe(401);

    const card = await fetch(`${serve.url}/.well-known/agent-card.json`);
    expect(card.status).toBe(200);
    const body = (await card.json()) as { name: string; supportedInterfaces: Array<{ url: string }> };
    expect(body.name).toBeTruthy();
    expect(body.supportedInterfaces[0]?.url.startsWith(serve.url)).toBe(true);

    const denied = await runCli(["a2a", "send", "--url", serve.url, "hi"], { cwd: box.work, env: box.env });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/token/i);

    const sent = await runCli(["a2a", "send", "--url", serve.url, "--token", TOKEN, "say hello"], {
      cwd: box.work,
      env: box.env,
    });
    expect(sent.stderr).toBe("");
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain("Hello from the scripted model.");
    expect(JSON.stringify(model.requests[0])).toContain("say hello");

    const json = await runCli(["a2a", "send", "--url", serve.url, "--no-stream", "--json", "again"], {
      cwd: box.work,
      env: { ...box.env, CODETETHER_TOKEN: TOKEN },
    });
    const events = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; state?: string });
    expect(events.at(-1)).toMatchObject({ state: "TASK_STATE_COMPLETED" });

    serve.child.kill("SIGINT");
    expect(await serve.exited).toBe(0);
    expect(serve.output()).toContain("Stopped.");
  });

  it("--a2a-conformance needs no model, prints the token and card URL, and runs the TCK contract", async () => {
    const box = await makeSandbox();
    const serve = await startServe(
      ["--a2a-conformance"],
      { ...box.env, TCK_STREAMING_TIMEOUT: "0.2" },
      box.work,
    );
    const token = /Bearer token: (\S+)/.exec(serve.output())?.[1] ?? "";
    expect(token.length).toBeGreaterThan(16);
    expect(serve.output()).toContain(`Agent card: ${serve.url}/.well-known/agent-card.json`);
    const sent = await runCli(["a2a", "send", "--url", serve.url, "--token", token, "ping"], {
      cwd: box.work,
      env: box.env,
    });
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain("Echo: ping");
  });

  it("bad usage exits 2 with a clear message", async () => {
    const box = await makeSandbox();
    const port = await runCli(["serve", "--port", "70000"], { cwd: box.work, env: box.env });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port must be a port number");
    const url = await runCli(["a2a", "send", "--url", "not a url", "hi"], { cwd: box.work, env: box.env });
    expect(url.code).toBe(2);
    expect(url.stderr).toContain("not an absolute URL");
    const worker = await runCli(["worker", "--a2a-url", "http://127.0.0.1:9"], {
      cwd: box.work,
      env: box.env,
    });
    expect(worker.code).toBe(2);
    expect(worker.stderr).toContain("--server");
    const mode = await runCli(["worker", "--server", "http://127.0.0.1:9", "--auto-approve", "maybe"], {
      cwd: box.work,
      env: box.env,
    });
    expect(mode.code).toBe(2);
  });
});
