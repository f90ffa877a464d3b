import fs from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Agent, defineTool, SessionStore, ToolRegistry } from "@codetether/core";
import express from "express";
import { afterAll, beforeAll } from "vitest";
import { z } from "zod";
import { CodetetherExecutor } from "../../src/executor/codetether-executor.js";
import { type A2AService, createA2AService } from "../../src/server/a2a-service.js";
import type { WebhookPolicy } from "../../src/server/ssrf-guard.js";
import { scriptedProvider } from "./scripted-provider.js";

export const TOKEN = "test-token-0123456789";

export interface Harness {
  url: string;
  dataDir: string;
  service: A2AService;
  executor: CodetetherExecutor;
  close(): Promise<void>;
}

/**
 * One {@link startHarness} for the calling test file: started in its `beforeAll`, closed in its `afterAll`. The
 * returned object is filled in once the service is up, so read it in tests and hooks only.
 */
export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await startHarness());
  });
  afterAll(async () => {
    await h.close();
  });
  return h;
}

/** The A2A service behind a minimal bearer check (the server app uses the security package). */
export async function startHarness(
  options: { dataDir?: string; push?: WebhookPolicy; keepAliveMs?: number } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), "a2a-test-")));
  const provider = scriptedProvider();
  const store = new SessionStore(path.join(dataDir, "sessions"));
  const executor = new CodetetherExecutor({
    workspace: dataDir,
    createAgent: ({ ask }) => {
      const tools = new ToolRegistry().register(
        defineTool({
          id: "question",
          description: "Ask the user",
          kind: "other",
          parameters: z.object({ question: z.string() }),
          async execute(args, ctx) {
            const answer = await ctx.ask?.({ question: args.question });
            return { output: `user answered ${answer}` };
          },
        }),
        defineTool({
          id: "write",
          description: "Write a file",
          kind: "write",
          parameters: z.object({ path: z.string(), content: z.string() }),
          async execute(args) {
            // Like the real write tool: absolute paths in the output and metadata.
            const abs = path.join(dataDir, args.path);
            return {
              output: `wrote ${abs}`,
              metadata: { path: abs, bytes: args.content.length },
            };
          },
        }),
      );
      return new Agent({ provider, model: "m1", tools, cwd: dataDir, store, ask, rawSystemPrompt: "test" });
    },
  });
  let url = "";
  const app = express();
  const service = createA2AService({
    executor,
    card: { baseUrl: "http://placeholder", version: "0.0.0-test" },
    dataDir,
    push: options.push ?? {},
    keepAliveMs: options.keepAliveMs ?? 15_000,
    maxBodyBytes: 64 * 1024,
  });
  app.use((req, res, next) => {
    if (service.publicPaths.includes(req.path)) return next();
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.status(401).json({ error: "unauthorized" });
      return;
    }
    res.locals.principal = "tester";
    next();
  });
  app.use(service.router);
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((r) => server.once("listening", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Rewrite the card's placeholder base URL to the bound address.
  for (const i of service.card.supportedInterfaces) i.url = i.url.replace("http://placeholder", url);
  return {
    url,
    dataDir,
    service,
    executor,
    async close() {
      await service.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
