import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { startServe as startServeProcess, useServeCleanup } from "./serve-helpers.js";

/**
 * The network guard end to end (issue 20 item 4): the built CLI's webfetch and serve's push
 * notifications refuse loopback in every spelling; only an explicit opt-in reaches it.
 */

const TOKEN = "netguard-e2e-token-0123456789abcdef";
let victim: Server;
let port = 0;
const hits: string[] = [];
const { children, serveBox } = useServeCleanup("SIGTERM");

beforeAll(async () => {
  // A loopback service the agent must not reach: it records every request.
  victim = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end("loopback secret"));
  });
  await new Promise<void>((r) => victim.listen(0, "127.0.0.1", r));
  port = (victim.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => victim.close(() => r())));

const spellings = () => [
  `http://127.0.0.1:${port}/a`,
  `http://localhost:${port}/b`,
  `http://2130706433:${port}/c`,
  `http://0177.0.0.1:${port}/d`,
  `http://0x7f.1:${port}/e`,
  `http://[::ffff:127.0.0.1]:${port}/f`,
  `http://[::ffff:7f00:1]:${port}/g`,
  `http://[::127.0.0.1]:${port}/h`,
  `http://0.0.0.0:${port}/i`,
];

interface ToolEnd {
  type: string;
  tool: string;
  result: { output: string; isError?: boolean };
}

async function runWebfetches(urls: string[], extraEnv: Record<string, string> = {}): Promise<ToolEnd[]> {
  const { box, env } = await serveBox(
    [
      { toolCalls: urls.map((url) => ({ name: "webfetch", arguments: { url, timeout: 5 } })) },
      { text: "done" },
    ],
    extraEnv,
  );
  const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "fetch them"], { cwd: box.work, env });
  expect(res.code, res.stderr).toBe(0);
  return res.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ToolEnd)
    .filter((e) => e.type === "tool-end");
}

describe("webfetch network guard (codetether run, built binary)", () => {
  it("refuses every spelling of loopback, and the service sees no request", async () => {
    const before = hits.length;
    const ends = await runWebfetches(spellings());
    expect(ends).toHaveLength(spellings().length);
    for (const end of ends) {
      expect(end.result.isError).toBe(true);
      expect(end.result.output).toMatch(/Refusing to connect/);
      expect(end.result.output).not.toContain("loopback secret");
    }
    expect(hits.slice(before)).toEqual([]);
  });

  it("reaches loopback only through the explicit opt-in (network.allow)", async () => {
    const ends = await runWebfetches(
      [`http://127.0.0.1:${port}/allowed`, `http://[::ffff:127.0.0.1]:${port}/no`],
      {
        CODETETHER_NETWORK_ALLOW: "127.0.0.1",
      },
    );
    // Tool calls run in parallel: tell the results apart by content, not order.
    expect(ends.filter((e) => e.result.output.includes("loopback secret"))).toHaveLength(1);
    expect(ends.filter((e) => e.result.isError && /Refusing to connect/.test(e.result.output))).toHaveLength(
      1,
    );
    expect(hits).toContain("GET /allowed");
    expect(hits).not.toContain("GET /no");
  });
});

async function startServe(env: Record<string, string>, cwd: string): Promise<string> {
  return (await startServeProcess(["-m", "openai/gpt-4o"], env, cwd, children)).url;
}

describe("push notification network guard (codetether serve, built binary)", () => {
  it("never POSTs task events to a mapped-IPv6 or numeric spelling of loopback", async () => {
    const { box, env } = await serveBox(
      Array.from({ length: 40 }, () => ({ text: "ok" })),
      {
        CODETETHER_AUTH_TOKEN: TOKEN,
        // The operator allows one loopback receiver by name: no other spelling of loopback may follow.
        CODETETHER_A2A_PUSH_ALLOWED_HOSTS: "localhost",
      },
    );
    const url = await startServe(env, box.work);
    const rpc = async (method: string, params: unknown) => {
      const res = await fetch(`${url}/a2a`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
          "A2A-Version": "1.0",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      return (await res.json()) as { result?: Record<string, unknown>; error?: { message: string } };
    };
    const message = (text: string) => ({ messageId: randomUUID(), role: "ROLE_USER", parts: [{ text }] });
    const before = hits.length;
    const refused = [
      `http://127.0.0.1:${port}/hook-literal`,
      `http://[::ffff:127.0.0.1]:${port}/hook-mapped`,
      `http://[::ffff:7f00:1]:${port}/hook-mapped-hex`,
      `http://[::127.0.0.1]:${port}/hook-compat`,
      `http://[64:ff9b::7f00:1]:${port}/hook-nat64`,
      `http://2130706433:${port}/hook-decimal`,
      `http://0177.0.0.1:${port}/hook-octal`,
      `http://0x7f.1:${port}/hook-hex`,
    ];
    for (const hook of refused) {
      const sent = await rpc("SendMessage", {
        message: message("hello"),
        configuration: { taskPushNotificationConfig: { url: hook, token: "t" } },
      });
      expect(sent.error?.message ?? "", hook).toMatch(/refused/i);
      const task = await rpc("SendMessage", { message: message("again") });
      const taskId = (task.result?.task as { id: string } | undefined)?.id;
      expect(taskId).toBeTruthy();
      const created = await rpc("CreateTaskPushNotificationConfig", { taskId, url: hook, token: "t" });
      expect(created.error?.message ?? "", hook).toMatch(/refused/i);
    }
    // Control: the allowed spelling does receive the task's events, so the refusals above are the guard.
    await rpc("SendMessage", {
      message: message("allowed"),
      configuration: {
        taskPushNotificationConfig: { url: `http://localhost:${port}/hook-allowed`, token: "t" },
      },
    });
    for (let i = 0; i < 100 && !hits.includes("POST /hook-allowed"); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(hits.slice(before).filter((h) => !h.endsWith("/hook-allowed"))).toEqual([]);
    expect(hits).toContain("POST /hook-allowed");
  });
});
