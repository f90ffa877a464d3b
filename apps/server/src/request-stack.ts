import type { AgentCard } from "@a2a-js/sdk";
import { type A2AService, CodetetherExecutor, createA2AService } from "@codetether/a2a";
import type { SessionStore } from "@codetether/core";
import express, { type NextFunction, type Request, type Response } from "express";
import { a2aAgentFactory } from "./a2a-agent-factory.js";
import type { RequestListener } from "./front-door.js";
import { sendError } from "./http-errors.js";
import { principalOf } from "./request-principal.js";
import type { RouteSpec } from "./route-table.js";
import type { ExtraRouter, ServerOptions } from "./server-options.js";

export interface RequestStackOptions {
  options: ServerOptions;
  dataDir: string;
  cwd: string;
  sessions: SessionStore;
  /** The public card built at start-up (its URLs fixed once the server listened). */
  card: AgentCard;
  /** Base URL and version the card was built with. */
  cardOptions: { baseUrl: string; version: string };
  /** The server's own routes with handlers (/health, sessions, audit, cognition). */
  apiRoutes: RouteSpec[];
  extra: ExtraRouter[];
}

export interface RequestStack {
  handler: RequestListener;
  a2a: A2AService;
  /** Aborts running tasks, persists them as interrupted, closes SSE streams. */
  close(): Promise<void>;
}

/**
 * The part of the server an idle process does not need: express, the A2A SDK service with its task store
 * and push sender, the agent executor, the API route handlers. `createServer` imports this module on the
 * first request that gets past auth (see front-door.ts); auth and audit already ran.
 */
export function createRequestStack(stack: RequestStackOptions): RequestStack {
  const { options, card } = stack;
  const { provider, model } = options;
  const executor =
    options.executor ??
    new CodetetherExecutor({
      workspace: stack.cwd,
      // createServer checked that provider and model are set when no executor replaces the agent.
      createAgent: a2aAgentFactory(
        { ...options, provider: provider!, model: model! },
        stack.cwd,
        stack.sessions,
      ),
    });
  const a2a = createA2AService({
    executor,
    card: stack.cardOptions,
    agentCard: card,
    dataDir: stack.dataDir,
    push: options.push ?? {},
    // On unless turned off: the card's input modes are a promise (spec 1.0.1 ContentTypeNotSupportedError).
    ...(options.enforceInputModes !== false ? { enforceInputModes: true } : {}),
    ...(options.taskRetention ? { taskRetention: options.taskRetention } : {}),
    // Authenticated callers also learn which model serves them.
    extendCard: (c) =>
      provider && model ? { ...c, description: `${c.description} Model: ${provider.id}/${model}.` } : c,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.keepAliveMs !== undefined ? { keepAliveMs: options.keepAliveMs } : {}),
  });

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  app.use((req, res, next) => {
    const principal = principalOf(req);
    if (principal) res.locals.principal = principal;
    next();
  });
  app.use(a2a.router);
  app.use("/v1", express.json({ limit: options.maxBodyBytes ?? "1mb" }));
  for (const route of stack.apiRoutes) {
    const handler = route.handler;
    if (!handler) continue;
    app[route.method.toLowerCase() as "get" | "post"](route.path, handler);
  }
  for (const r of stack.extra) app.use(r.path, r.router);
  app.use((req, res) => sendError(res, 404, "not_found", `No route ${req.method} ${req.path}.`));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === "entity.parse.failed")
      return sendError(res, 400, "invalid_json", `Request body is not valid JSON: ${(err as Error).message}`);
    if (type === "entity.too.large")
      return sendError(res, 413, "too_large", "Request body exceeds the server limit.");
    if (res.headersSent) return;
    sendError(res, 500, "internal", `Internal error while handling ${req.method} ${req.path}.`);
  });

  return {
    handler: (req, res) => {
      app(req as Request, res as Response);
    },
    a2a,
    close: () => a2a.close(),
  };
}
