import path from "node:path";
import type { AgentCard } from "@a2a-js/sdk";
import type { A2AService } from "@codetether/a2a";
import type { GrpcGate } from "@codetether/a2a/grpc";
import { buildServiceCard, CognitionEngine, MODEL_INPUT_MODES, TEXT_INPUT_MODES } from "@codetether/a2a/lite";
import { dataDir as defaultDataDir, SessionStore } from "@codetether/core";
import type { K8sIntegration } from "@codetether/k8s";
import { AuditLog, bearerAuth, resolveAuthToken } from "@codetether/security";
import { frontDoor, type RequestListener } from "./front-door.js";
import { grpcGate, grpcPortFor, grpcUrlOf } from "./grpc-gate.js";
import { setupK8s } from "./k8s-setup.js";
import { lazyLoad } from "./lazy-load.js";
import type { RequestStack } from "./request-stack.js";
import type { RouteSpec } from "./route-table.js";
import { a2aRouteSpecs } from "./routes/a2a-route-specs.js";
import { auditRoutes } from "./routes/audit-routes.js";
import { type CognitionStreams, cognitionRoutes } from "./routes/cognition-routes.js";
import { sessionRoutes } from "./routes/session-routes.js";
import type { ServerOptions } from "./server-options.js";

export const SERVER_VERSION = "0.0.0";

export interface CodetetherServer {
  /** The request listener (`http.createServer(server.handler)`). */
  handler: RequestListener;
  token: string;
  /** Where the token came from (`env`, `file`, `generated`, `option`) and its file, for the startup message. */
  tokenSource: { source: string; file?: string };
  /** Every route, public or not (A2A, API, extra routers). */
  routes: RouteSpec[];
  /** The public agent card, plain data built at start-up (`startServer` fixes its URLs once listening). */
  card: AgentCard;
  /** The gRPC port asked for (0 = any free port), or undefined when gRPC is off (`grpcPort: 0`). */
  grpcPort: number | undefined;
  /** What the gRPC binding (started by `startServer`) calls: bearer auth, the A2A handler, the audit. */
  grpc: GrpcGate;
  /** The A2A service; loads the request stack if no request has yet. */
  a2a(): Promise<A2AService>;
  /**
   * Whether the request stack (express, the A2A SDK service, the executor, the API handlers) is loaded. It
   * loads on the first request past auth other than /health, so an idle server stays small.
   */
  stackLoaded(): boolean;
  cognition: CognitionEngine | undefined;
  audit: AuditLog;
  /** The Kubernetes integration when a cluster was detected (its reconcile loop starts once the server listens). */
  k8s: K8sIntegration | undefined;
  /** Graceful shutdown: stops cognition, persists in-flight tasks as interrupted, closes SSE streams. */
  close(): Promise<void>;
}

/**
 * Builds the `codetether serve` request listener (not listening): A2A, /health, sessions, audit,
 * cognition and persona APIs, extra routers. Everything but /health and the public agent cards needs
 * the bearer token, and every request is audited. Start-up loads only auth, audit, sessions and
 * cognition; the rest (request-stack.ts) loads on the first request that needs it.
 */
export async function createServer(options: ServerOptions): Promise<CodetetherServer> {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 4096;
  const version = options.version ?? SERVER_VERSION;
  const resolved = options.token
    ? { token: options.token, source: "option" as const }
    : await resolveAuthToken({ dataDir });
  // Nothing an A2A task records or sends (artifacts, sessions, audit) may carry the server's own token.
  options.runtime?.secrets.add(resolved.token);
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
  const grpcPort = grpcPortFor(port, options.grpcPort);
  const baseUrl = options.publicUrl ?? `http://${host}:${port}`;
  const cardOptions = {
    baseUrl,
    version,
    inputModes: options.inputModes ?? (options.executor ? TEXT_INPUT_MODES : MODEL_INPUT_MODES),
    ...(grpcPort !== undefined ? { grpcUrl: grpcUrlOf(baseUrl, grpcPort) } : {}),
  };
  const card = buildServiceCard({ card: cardOptions, push: options.push ?? {} });

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
        res.json({ status: "ok", version });
      },
    },
    ...sessionRoutes(sessions),
    ...auditRoutes(audit),
    ...(cognition ? cognitionRoutes(cognition, streams) : []),
  ];
  const k8s = await setupK8s(options.k8s);
  const extraRoutes = [...(options.extraRouters ?? []).flatMap((r) => r.routes ?? []), ...k8s.routes];
  const routes = [...apiRoutes, ...a2aRouteSpecs(), ...extraRoutes];
  const publicPaths = new Set(routes.filter((r) => r.public).map((r) => r.path));

  const stack = lazyLoad(async (): Promise<RequestStack> => {
    const [{ createRequestStack }, k8sRouter] = await Promise.all([
      import("./request-stack.js"),
      k8s.router(),
    ]);
    return createRequestStack({
      options,
      dataDir,
      cwd,
      sessions,
      card,
      cardOptions,
      apiRoutes,
      extra: [...(options.extraRouters ?? []), ...(k8sRouter ? [k8sRouter] : [])],
    });
  });
  const auth = bearerAuth({
    token: resolved.token,
    audit,
    ...(options.authRateLimit ? { rateLimit: options.authRateLimit } : {}),
    ...(options.authAuditWindowMs ? { auditWindowMs: options.authAuditWindowMs } : {}),
    exempt: (req) =>
      (req.method === "GET" || req.method === "HEAD") && publicPaths.has((req.url ?? "").split("?")[0] ?? ""),
  });

  return {
    handler: frontDoor({ audit, auth, publicPaths, version, stack }),
    token: resolved.token,
    tokenSource: {
      source: resolved.source,
      ...("file" in resolved && resolved.file ? { file: resolved.file } : {}),
    },
    routes,
    card,
    grpcPort,
    grpc: grpcGate({ auth, audit, requestHandler: async () => (await stack.get()).a2a.requestHandler }),
    a2a: async () => (await stack.get()).a2a,
    stackLoaded: () => stack.loaded !== undefined,
    cognition,
    audit,
    k8s: k8s.integration,
    async close() {
      await k8s.close();
      await cognition?.stop("server shutdown");
      // A stack still loading is waited for, so a task it accepted is persisted too.
      const loaded = stack.loaded ?? (await stack.pending?.catch(() => undefined));
      await loaded?.close();
      for (const res of streams.open) res.end();
      streams.open.clear();
      auth.flushAudit();
      if (!options.audit) await audit.close();
    },
  };
}
