import path from "node:path";
import { type A2AService, CodetetherExecutor, CognitionEngine, createA2AService } from "@codetether/a2a";
import { dataDir as defaultDataDir, SessionStore } from "@codetether/core";
import type { K8sIntegration } from "@codetether/k8s";
import { AuditLog, bearerAuth, resolveAuthToken } from "@codetether/security";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { a2aAgentFactory } from "./a2a-agent-factory.js";
import { sendError } from "./http-errors.js";
import type { RouteSpec } from "./route-table.js";
import { a2aRouteSpecs } from "./routes/a2a-route-specs.js";
import { auditRoutes } from "./routes/audit-routes.js";
import { type CognitionStreams, cognitionRoutes } from "./routes/cognition-routes.js";
import { sessionRoutes } from "./routes/session-routes.js";
import type { ExtraRouter, ServerOptions } from "./server-options.js";

export const SERVER_VERSION = "0.0.0";

export interface CodetetherServer {
  app: Express;
  token: string;
  /** Where the token came from (`env`, `file`, `generated`, `option`) and its file, for the startup message. */
  tokenSource: { source: string; file?: string };
  /** Every route, public or not (A2A, API, extra routers). */
  routes: RouteSpec[];
  a2a: A2AService;
  cognition: CognitionEngine | undefined;
  audit: AuditLog;
  /** The Kubernetes integration behind `/v1/k8s/*` (its reconcile loop starts once the server listens). */
  k8s: K8sIntegration | undefined;
  /** Graceful shutdown: stops cognition, persists in-flight tasks as interrupted, closes SSE streams. */
  close(): Promise<void>;
}

/**
 * Builds the `codetether serve` app (not listening): A2A, /health, sessions, audit, cognition and
 * persona APIs, extra routers. Everything but /health and the public agent cards needs the bearer
 * token, and every request is audited.
 */
export async function createServer(options: ServerOptions): Promise<CodetetherServer> {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 4096;
  const resolved = options.token
    ? { token: options.token, source: "option" as const }
    : await resolveAuthToken({ dataDir });
  const audit =
    options.audit ??
    (await AuditLog.open({ dir: path.join(dataDir, "audit"), knownSecrets: [resolved.token] }));
  const sessions = options.sessions ?? new SessionStore(path.join(dataDir, "sessions"));
  const { provider, model } = options;
  if (!options.executor && !(provider && model)) {
    throw new Error(
      "The server needs a model (provider and model options) unless an executor replaces the agent.",
    );
  }
  const executor =
    options.executor ??
    new CodetetherExecutor({
      createAgent: a2aAgentFactory({ ...options, provider: provider!, model: model! }, cwd, sessions),
    });
  const a2a = createA2AService({
    executor,
    card: {
      baseUrl: options.publicUrl ?? `http://${host}:${port}`,
      version: options.version ?? SERVER_VERSION,
    },
    dataDir,
    push: options.push ?? {},
    ...(options.enforceInputModes ? { enforceInputModes: true } : {}),
    // Authenticated callers also learn which model serves them.
    extendCard: (card) =>
      provider && model
        ? { ...card, description: `${card.description} Model: ${provider.id}/${model}.` }
        : card,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.keepAliveMs !== undefined ? { keepAliveMs: options.keepAliveMs } : {}),
  });

  let cognition: CognitionEngine | undefined;
  const streams: CognitionStreams = { open: new Set(), keepAliveMs: options.keepAliveMs ?? 15_000 };
  const thinker = options.cognition?.provider ?? provider;
  const thinkerModel = options.cognition?.model ?? model;
  if (options.cognition?.enabled !== false && thinker && thinkerModel) {
    cognition = new CognitionEngine({
      provider: thinker,
      model: thinkerModel,
      dataDir,
      ...(options.cognition?.loopIntervalMs ? { loopIntervalMs: options.cognition.loopIntervalMs } : {}),
      ...(options.cognition?.maxThoughtTokens
        ? { maxThoughtTokens: options.cognition.maxThoughtTokens }
        : {}),
    });
    await cognition.load();
    if (options.cognition?.autoStart) await cognition.start();
  }

  const apiRoutes: RouteSpec[] = [
    {
      method: "GET",
      path: "/health",
      public: true,
      summary: "Liveness",
      handler: (_req, res) => {
        res.json({ status: "ok", version: options.version ?? SERVER_VERSION });
      },
    },
    ...sessionRoutes(sessions),
    ...auditRoutes(audit),
    ...(cognition ? cognitionRoutes(cognition, streams) : []),
  ];
  // Imported lazily: without a cluster the Kubernetes client library is never loaded (idle RSS, start-up).
  const k8sModule = options.k8s === false ? undefined : await import("@codetether/k8s");
  const k8s =
    k8sModule && options.k8s !== false
      ? (options.k8s ?? (await k8sModule.createK8sIntegration()))
      : undefined;
  const extra: ExtraRouter[] = [
    ...(options.extraRouters ?? []),
    ...(k8s && k8sModule
      ? [
          {
            path: k8sModule.K8S_MOUNT_PATH,
            router: k8sModule.createK8sRouter(k8s),
            routes: k8sModule.K8S_ROUTES.map((r) => ({ ...r })),
          },
        ]
      : []),
  ];
  const routes = [...apiRoutes, ...a2aRouteSpecs(a2a), ...extra.flatMap((r) => r.routes ?? [])];
  const publicPaths = new Set(routes.filter((r) => r.public).map((r) => r.path));

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  app.use(auditMiddleware(audit));
  const auth = bearerAuth({
    token: resolved.token,
    audit,
    ...(options.authRateLimit ? { rateLimit: options.authRateLimit } : {}),
    exempt: (req) =>
      (req.method === "GET" || req.method === "HEAD") && publicPaths.has((req.url ?? "").split("?")[0] ?? ""),
  });
  app.use((req, res, next) => auth(req, res, next));
  app.use((req, res, next) => {
    if (!publicPaths.has(req.path)) res.locals.principal = "bearer-token-user";
    next();
  });
  app.use(a2a.router);
  app.use("/v1", express.json({ limit: options.maxBodyBytes ?? "1mb" }));
  for (const route of apiRoutes) {
    const handler = route.handler;
    if (!handler) continue;
    app[route.method.toLowerCase() as "get" | "post"](route.path, handler);
  }
  for (const r of extra) app.use(r.path, r.router);
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
    app,
    token: resolved.token,
    tokenSource: {
      source: resolved.source,
      ...("file" in resolved && resolved.file ? { file: resolved.file } : {}),
    },
    routes,
    a2a,
    cognition,
    audit,
    k8s,
    async close() {
      await k8s?.close();
      await cognition?.stop("server shutdown");
      await a2a.close();
      for (const res of streams.open) res.end();
      streams.open.clear();
      if (!options.audit) await audit.close();
    },
  };
}

/** Audits every API call once the response is finished (no bodies, no tokens). */
function auditMiddleware(audit: AuditLog) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    res.on("finish", () => {
      const status = res.statusCode;
      void audit
        .append({
          actor:
            typeof res.locals.principal === "string"
              ? res.locals.principal
              : `client:${req.socket.remoteAddress ?? "?"}`,
          action: "api.call",
          resource: `${req.method} ${req.path}`,
          outcome:
            status < 400
              ? "success"
              : status === 401 || status === 403 || status === 429
                ? "denied"
                : "failure",
          details: { status, duration_ms: Math.round(performance.now() - started) },
        })
        .catch(() => {});
    });
    next();
  };
}
