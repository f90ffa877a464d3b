import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  conformanceServerOptions,
  LOOPBACK_WEBHOOK_HOSTS,
  runServeCommand,
  startServer,
} from "../src/index.js";

const TOKEN = "conformance-mode-token-0123456789";

async function tempDir() {
  return fs.mkdtemp(path.join(os.tmpdir(), "server-conformance-"));
}

describe("serve --a2a-conformance", () => {
  it("runs the production stack without a model: auth, audit, push on, cognition off", async () => {
    const dataDir = await tempDir();
    const options = conformanceServerOptions({ port: 0, dataDir, cwd: dataDir, token: TOKEN }, {});
    expect(options.push).toMatchObject({ enabled: true, allowedHosts: LOOPBACK_WEBHOOK_HOSTS });
    expect(options.push?.allowPrivateNetworks).toBeUndefined();
    const server = await startServer(options);
    try {
      expect(server.card.capabilities?.pushNotifications).toBe(true);
      expect(server.cognition).toBeUndefined();
      const anon = await fetch(`${server.url}/a2a`, { method: "POST" });
      expect(anon.status).toBe(401);
      const res = await fetch(`${server.url}/a2a`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
          "A2A-Version": "1.0",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "SendMessage",
          params: {
            message: { messageId: "tck-complete-task-1", role: "ROLE_USER", parts: [{ text: "x" }] },
          },
        }),
      });
      const body = (await res.json()) as { result: { task: { status: { state: string } } } };
      expect(body.result.task.status.state).toBe("TASK_STATE_COMPLETED");
      // Audit records are appended when a response finishes: poll briefly for the A2A call.
      let records = "";
      for (let i = 0; i < 40 && !records.includes("POST /a2a"); i++) {
        const audit = await fetch(`${server.url}/v1/audit/events`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(audit.status).toBe(200);
        records = JSON.stringify(await audit.json());
        if (!records.includes("POST /a2a")) await new Promise((r) => setTimeout(r, 50));
      }
      expect(records).toContain("POST /a2a");
      expect(records).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it("a bad TCK_STREAMING_TIMEOUT is a clear start-up error", async () => {
    const dataDir = await tempDir();
    const out = new PassThrough();
    const err = new PassThrough();
    let stderr = "";
    err.on("data", (d) => {
      stderr += d;
    });
    const code = await runServeCommand(
      {
        port: 0,
        dataDir,
        cwd: dataDir,
        token: TOKEN,
        a2aConformance: true,
        env: { TCK_STREAMING_TIMEOUT: "fast" },
      },
      { stdout: out, stderr: err },
    );
    expect(code).toBe(1);
    expect(stderr).toContain("TCK_STREAMING_TIMEOUT must be a number of seconds");
  });

  it("prints the card URL and the token, and stops on abort", async () => {
    const dataDir = await tempDir();
    const controller = new AbortController();
    let stdout = "";
    const io = {
      stdout: {
        write: (s: string) => {
          stdout += s;
          if (s.startsWith("Bearer token")) controller.abort();
          return true;
        },
      },
      stderr: { write: () => true },
    };
    const code = await runServeCommand(
      {
        port: 0,
        dataDir,
        cwd: dataDir,
        token: TOKEN,
        a2aConformance: true,
        signal: controller.signal,
        env: {},
      },
      io,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/Agent card: http:\/\/127\.0\.0\.1:\d+\/\.well-known\/agent-card\.json/);
    expect(stdout).toContain(`Bearer token: ${TOKEN}`);
    expect(stdout).toContain("Stopped.");
  });

  it("without an executor the server still needs a model", async () => {
    const dataDir = await tempDir();
    await expect(startServer({ port: 0, dataDir, cwd: dataDir, token: TOKEN })).rejects.toThrow(
      /needs a model/,
    );
  });
});
