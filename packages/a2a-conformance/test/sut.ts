import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { conformanceServerOptions, startServer } from "@codetether/server";
import { afterAll, beforeAll } from "vitest";
import { A2AWireClient, createA2ASchemaValidator, type Wire } from "../src/index.js";

/** TCK_STREAMING_TIMEOUT for the suite (seconds): small, so resubscribe tasks stay WORKING ~0.8 s. */
export const STREAMING_TIMEOUT_S = Number(process.env.TCK_STREAMING_TIMEOUT ?? "0.4");
export const schema = createA2ASchemaValidator();

export interface Sut {
  url: string;
  token: string;
  card: Wire;
  /** Client for the card's JSON-RPC and HTTP+JSON interfaces, sending `A2A-Version: 1.0`. */
  client: A2AWireClient;
  close(): Promise<void>;
}

/**
 * The system under test for the calling test file: started in its `beforeAll`, closed in its `afterAll`. The
 * returned object is filled in once the server is up, so read it in tests and hooks only.
 */
export function useSut(): Sut {
  const sut = {} as Sut;
  beforeAll(async () => {
    Object.assign(sut, await startSut());
  });
  afterAll(() => sut.close());
  return sut;
}

/**
 * The system under test: `codetether serve --a2a-conformance`.
 * - `A2A_SUT_URL` + `A2A_SUT_TOKEN`: an already running server (e.g. started by hand or in CI);
 * - `A2A_SUT_BIN=<path to apps/cli/dist/bin.cjs>`: spawns the built CLI with `serve --a2a-conformance --port 0`;
 * - otherwise: the same server in-process (`startServer(conformanceServerOptions(...))`, what the command runs).
 */
export async function startSut(): Promise<Sut> {
  if (process.env.A2A_SUT_URL) {
    return connect(process.env.A2A_SUT_URL, process.env.A2A_SUT_TOKEN ?? "", async () => {});
  }
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "a2a-conformance-"));
  const env = { TCK_STREAMING_TIMEOUT: String(STREAMING_TIMEOUT_S) };
  if (process.env.A2A_SUT_BIN) return spawnBinary(process.env.A2A_SUT_BIN, dataDir, env);
  const token = `conformance-${Math.random().toString(36).slice(2)}-token`;
  const server = await startServer(
    conformanceServerOptions(
      { port: 0, dataDir, cwd: dataDir, token, authRateLimit: { maxFailures: 10_000, windowMs: 60_000 } },
      env,
    ),
  );
  return connect(server.url, token, async () => {
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });
}

async function spawnBinary(bin: string, dataDir: string, env: Record<string, string>): Promise<Sut> {
  const child: ChildProcess = spawn(process.execPath, [bin, "serve", "--a2a-conformance", "--port", "0"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dataDir,
      XDG_DATA_HOME: dataDir,
      XDG_CONFIG_HOME: dataDir,
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    child.stdout?.on("data", (d) => {
      out += d;
      const url = /listening on (\S+)/.exec(out)?.[1];
      const token = /Bearer token: (\S+)/.exec(out)?.[1];
      if (url && token) resolve({ url, token });
    });
    child.on("exit", (code) => reject(new Error(`serve --a2a-conformance exited with ${code}: ${out}`)));
  });
  return connect(url, token, async () => {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await fs.rm(dataDir, { recursive: true, force: true });
  });
}

async function connect(url: string, token: string, close: () => Promise<void>): Promise<Sut> {
  const card = (await (
    await fetch(`${url}/.well-known/agent-card.json`, { headers: { "A2A-Version": "1.0" } })
  ).json()) as Wire;
  const iface = (binding: string) =>
    card.supportedInterfaces.find((i: Wire) => i.protocolBinding === binding && i.protocolVersion === "1.0")
      ?.url;
  const client = new A2AWireClient({
    jsonRpcUrl: iface("JSONRPC"),
    restUrl: iface("HTTP+JSON"),
    token,
    streamTimeoutMs: 15_000,
  });
  return { url, token, card, client, close };
}

let counter = 0;
/** A v1.0 user message whose messageId starts with the TCK prefix that selects the SUT behaviour. */
export function userMessage(prefix: string, text = "hello", extra: Record<string, unknown> = {}): Wire {
  counter++;
  return {
    messageId: `${prefix}-${Date.now().toString(36)}-${counter}`,
    role: "ROLE_USER",
    parts: [{ text }],
    ...extra,
  };
}

/** A v0.3 user message (kind discriminators, lower-case role). */
export function legacyMessage(prefix: string, text = "hello", extra: Record<string, unknown> = {}): Wire {
  counter++;
  return {
    kind: "message",
    messageId: `${prefix}-${Date.now().toString(36)}-${counter}`,
    role: "user",
    parts: [{ kind: "text", text }],
    ...extra,
  };
}

/** Asserts a JSON-RPC 2.0 error response with `code` and an ErrorInfo `reason` (spec 1.0.1 §9.5). */
export function rpcError(body: Wire): { code: number; reason?: string; message: string } {
  if (!body?.error) throw new Error(`expected a JSON-RPC error, got ${JSON.stringify(body)}`);
  const info = Array.isArray(body.error.data)
    ? body.error.data.find((d: Wire) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo")
    : undefined;
  return { code: body.error.code, reason: info?.reason, message: body.error.message };
}
