import path from "node:path";
import { type AgentCard, TaskState } from "@a2a-js/sdk";
import {
  type AgentExecutor,
  DefaultExecutionEventBusManager,
  DefaultRequestHandler,
  type User,
} from "@a2a-js/sdk/server";
import { jsonRpcHandler, restHandler, type UserBuilder } from "@a2a-js/sdk/server/express";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { type AgentCardOptions, buildServiceCard, PUBLIC_CARD_PATHS } from "./agent-card.js";
import { cardRouter } from "./card-handler.js";
import { installClientErrorLogFilter } from "./client-error-log.js";
import { FilePushNotificationStore } from "./file-push-store.js";
import { FileTaskStore } from "./file-task-store.js";
import { GuardedPushNotificationStore, GuardedPushSender } from "./guarded-push.js";
import { InputModeCheckingRequestHandler } from "./input-mode-guard.js";
import { markInterrupted, TERMINAL_STATES } from "./interrupted-task.js";
import { createSseTracker } from "./sse-keepalive.js";
import type { WebhookPolicy } from "./ssrf-guard.js";

/** An executor the service can stop on shutdown (the codetether executor, or a conformance one). */
export interface StoppableExecutor extends AgentExecutor {
  /** Aborts running tasks; returns their ids so they can be persisted as interrupted. */
  abortAll?(reason?: string): Promise<string[]>;
}

export interface A2AServiceOptions {
  executor: StoppableExecutor;
  card: AgentCardOptions;
  /**
   * The public card, built beforehand with `buildServiceCard` from these same options (a server that loads
   * this service on first use builds it at start-up and may fix its URLs once it listens). Default: built here.
   */
  agentCard?: AgentCard;
  /** Directory of the durable task store. */
  dataDir: string;
  /** Webhook policy for push notifications (SSRF guard). */
  push?: WebhookPolicy & { enabled?: boolean; timeoutMs?: number };
  /** Maximum JSON request body (default `1mb`). */
  maxBodyBytes?: number | string;
  /** SSE keep-alive comment interval (default 15 s). */
  keepAliveMs?: number;
  /** Serve v0.3 method names and shapes to peers that send no `A2A-Version` (default true). */
  legacyCompat?: boolean;
  /**
   * Refuse messages whose parts have a media type the card does not list (ContentTypeNotSupportedError).
   * Default false: the codetether executor also takes images and files of any type.
   */
  enforceInputModes?: boolean;
  /** Task store retention (defaults: 30 days, 100 000 tasks). */
  taskRetention?: { retentionDays?: number; maxTasks?: number };
  /** Extra fields only authenticated callers see in the extended card. */
  extendCard?: (card: AgentCard) => AgentCard;
}

export interface A2AService {
  /** Mount at `/`: serves the public cards, `/a2a` (JSON-RPC) and `/a2a/rest` (HTTP+JSON). */
  router: Router;
  /** Paths that need no authentication. */
  publicPaths: string[];
  card: AgentCard;
  taskStore: FileTaskStore;
  requestHandler: DefaultRequestHandler;
  /** Aborts running tasks, persists them as interrupted, closes SSE streams. */
  close(): Promise<void>;
}

/** The authenticated caller, as set by the server's auth middleware in `res.locals.principal`. */
class PrincipalUser implements User {
  constructor(private readonly name: string) {}
  get isAuthenticated() {
    return true;
  }
  get userName() {
    return this.name;
  }
}

export const principalUserBuilder: UserBuilder = async (req: Request) => {
  const principal = req.res?.locals.principal;
  return new PrincipalUser(typeof principal === "string" && principal ? principal : "anonymous");
};

/**
 * Body parser failures in the binding's own wire format: JSON-RPC gets -32700 (parse) or -32600
 * (too large, HTTP 413); HTTP+JSON gets an AIP-193 error body.
 */
function bodyErrorHandler(err: unknown, req: Request, res: Response, next: NextFunction): void {
  const type = (err as { type?: string } | undefined)?.type;
  if (type !== "entity.parse.failed" && type !== "entity.too.large") {
    next(err);
    return;
  }
  const tooLarge = type === "entity.too.large";
  const message = tooLarge
    ? `Request body exceeds the server limit (${(err as { limit?: number }).limit ?? "?"} bytes); send less data.`
    : `Request body is not valid JSON: ${(err as Error).message}`;
  const status = tooLarge ? 413 : 400;
  if (req.baseUrl.endsWith("/rest") || req.originalUrl.startsWith("/a2a/rest")) {
    res
      .status(status)
      .type("application/a2a+json")
      .json({
        error: { code: status, status: tooLarge ? "INVALID_ARGUMENT" : "INVALID_ARGUMENT", message },
      });
    return;
  }
  // The JSON parser accepts only objects and arrays; a bare JSON value ("text", 42) is valid JSON but no
  // Request object, so JSON-RPC 2.0 §5.1 calls it -32600 Invalid Request, not -32700 Parse error.
  const notAnObject = !tooLarge && isJsonValue((err as { body?: unknown }).body);
  res.status(tooLarge ? 413 : 200).json({
    jsonrpc: "2.0",
    id: null,
    error: notAnObject
      ? { code: -32600, message: "Invalid JSON-RPC request: the body must be a JSON-RPC request object." }
      : { code: tooLarge ? -32600 : -32700, message },
  });
}

function isJsonValue(raw: unknown): boolean {
  if (typeof raw !== "string") return false;
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
}

/** JSON-RPC 2.0 §4: a request that is not a valid Request object is -32600 Invalid Request. */
function jsonRpcEnvelopeGuard(req: Request, res: Response, next: NextFunction): void {
  const body = req.body as Record<string, unknown> | undefined;
  const id = body && typeof body === "object" && !Array.isArray(body) ? body.id : null;
  const idOk = id === undefined || id === null || typeof id === "string" || typeof id === "number";
  const problem =
    !body || typeof body !== "object" || Array.isArray(body)
      ? "the body must be a single JSON-RPC request object (batches are not supported)"
      : body.jsonrpc !== "2.0"
        ? 'field "jsonrpc" must be "2.0"'
        : typeof body.method !== "string"
          ? 'field "method" must be a string'
          : !idOk
            ? 'field "id" must be a string, number or null'
            : undefined;
  if (!problem) {
    next();
    return;
  }
  res.status(200).json({
    jsonrpc: "2.0",
    id: idOk ? (id ?? null) : null,
    error: { code: -32600, message: `Invalid JSON-RPC request: ${problem}.` },
  });
}

/**
 * JSON-RPC bodies must be JSON (`application/json`, or A2A's `application/a2a+json`). Anything else is
 * -32005 ContentTypeNotSupported, as the SDK's reference handler answers, not a parse or batch error.
 */
function jsonRpcContentType(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers["content-type"];
  const media = given?.split(";")[0]?.trim().toLowerCase();
  if (media === "application/json" || media === "application/a2a+json") {
    next();
    return;
  }
  res.status(200).json({
    jsonrpc: "2.0",
    id: null,
    error: {
      code: -32005,
      message: `Content type ${given ? `"${given}"` : "(none)"} is not supported for JSON-RPC: send the request with Content-Type: application/json.`,
    },
  });
}

/**
 * Spec 1.0.1 §3.6.1: clients send the version in the `A2A-Version` header or the `A2A-Version` query
 * parameter. The SDK reads only the header, so a query value is copied into it (the header wins).
 */
function versionFromQuery(req: Request, _res: Response, next: NextFunction): void {
  const fromQuery = req.query["A2A-Version"];
  if (req.headers["a2a-version"] === undefined && typeof fromQuery === "string") {
    req.headers["a2a-version"] = fromQuery;
  }
  next();
}

export { INTERRUPTED_METADATA_KEY } from "./interrupted-task.js";

/** Builds the A2A 1.0 service (JSON-RPC + HTTP+JSON + SSE, v0.3 compat) on the official SDK. */
export function createA2AService(options: A2AServiceOptions): A2AService {
  // The SDK logs a client's mistakes on streaming calls as errors with stacks; keep those to one line.
  installClientErrorLogFilter();
  const legacyCompat = { enabled: options.legacyCompat !== false };
  const pushEnabled = options.push?.enabled !== false;
  const card = options.agentCard ?? buildServiceCard(options);
  const extended = options.extendCard ? options.extendCard(structuredClone(card)) : card;
  const taskStore = new FileTaskStore(path.join(options.dataDir, "a2a", "tasks"), {
    ...(options.taskRetention ?? {}),
  });
  const pushStore = pushEnabled
    ? new GuardedPushNotificationStore(
        options.push ?? {},
        new FilePushNotificationStore(path.join(options.dataDir, "a2a", "push")),
      )
    : undefined;
  const pushSender = pushStore
    ? new GuardedPushSender(pushStore, {
        policy: options.push ?? {},
        timeoutMs: options.push?.timeoutMs ?? 10_000,
      })
    : undefined;
  const Handler = options.enforceInputModes ? InputModeCheckingRequestHandler : DefaultRequestHandler;
  const requestHandler = new Handler(
    card,
    taskStore,
    options.executor,
    new DefaultExecutionEventBusManager(),
    pushStore,
    pushSender,
    extended,
  );
  const sse = createSseTracker(options.keepAliveMs ?? 15_000);
  const limit = options.maxBodyBytes ?? "1mb";
  const bodyParser = express.json({ limit, type: ["application/json", "application/a2a+json"] });

  const router = express.Router();
  const cardHandler = cardRouter(requestHandler, { legacyCompat: legacyCompat.enabled });
  for (const cardPath of PUBLIC_CARD_PATHS) router.use(cardPath, cardHandler);
  router.post("/a2a", jsonRpcContentType);
  router.use("/a2a", versionFromQuery, sse.middleware, bodyParser, bodyErrorHandler);
  router.use("/a2a/rest", restHandler({ requestHandler, userBuilder: principalUserBuilder, legacyCompat }));
  router.post("/a2a", jsonRpcEnvelopeGuard);
  router.use("/a2a", jsonRpcHandler({ requestHandler, userBuilder: principalUserBuilder, legacyCompat }));

  return {
    router,
    publicPaths: [...PUBLIC_CARD_PATHS],
    card,
    taskStore,
    requestHandler,
    async close() {
      const interrupted = (await options.executor.abortAll?.("server shutdown")) ?? [];
      taskStore.freeze();
      await pushSender?.drain();
      for (const id of interrupted) {
        const stored = await taskStore.loadAny(id);
        const state = stored?.task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
        // A task the executor was running is failed, whatever it was waiting for; a finished one is kept.
        if (!stored || (TERMINAL_STATES.has(state) && state !== TaskState.TASK_STATE_FAILED)) continue;
        markInterrupted(stored.task, "shutdown");
        await taskStore.saveAs(stored.task, { tenant: stored.tenant, owner: stored.owner });
      }
      await taskStore.close();
      sse.closeAll();
    },
  };
}
