import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ChatRequest, Provider, StreamChunk } from "@codetether/core";
import { type RunningServer, startServer } from "../src/index.js";
import type { ServerOptions } from "../src/server-options.js";

export const TOKEN = "server-test-token-0123456789";

/** A scripted in-process model: answers every request with a short text (and usage). */
export function echoProvider(): Provider & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    id: "scripted",
    requests,
    async listModels() {
      return [];
    },
    async *stream(request): AsyncIterable<StreamChunk> {
      requests.push(request);
      yield { type: "text-delta", text: `reply #${requests.length}` };
      yield {
        type: "usage",
        usage: { promptTokens: 20, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
      };
      yield { type: "finish", reason: "stop" };
    },
  };
}

export async function start(
  overrides: Partial<ServerOptions> = {},
): Promise<RunningServer & { dataDir: string }> {
  const dataDir = overrides.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), "server-test-")));
  const server = await startServer({
    port: 0,
    dataDir,
    cwd: dataDir,
    token: TOKEN,
    provider: echoProvider(),
    model: "m1",
    authRateLimit: { maxFailures: 100_000, windowMs: 60_000 },
    ...overrides,
  });
  return Object.assign(server, { dataDir });
}

export const auth = { authorization: `Bearer ${TOKEN}` };
