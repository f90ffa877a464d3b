import type { StoppableExecutor, WebhookPolicy } from "@codetether/a2a";
import type { AutoApprove, ModelInfo, Provider, SessionStore, ToolRegistry } from "@codetether/core";
/** A router mounted by another package (e.g. `/v1/k8s`), always behind auth and audit. */
import type { K8sIntegration } from "@codetether/k8s";
import type { Runtime } from "@codetether/runtime";
import type { AuditLog, RateLimitOptions } from "@codetether/security";
import type { RequestHandler } from "express";
import type { ConnectionLimits } from "./connection-limits.js";
import type { RouteSpec } from "./route-table.js";

export interface ExtraRouter {
  /** Mount path, e.g. `/v1/k8s`. */
  path: string;
  router: RequestHandler;
  /** The routes it serves (full paths), so the auth test can enumerate them. */
  routes?: RouteSpec[];
}

export interface ServerOptions {
  host?: string;
  port?: number;
  /**
   * Port of the A2A gRPC binding, on the same host (`0` disables it). Default: `port + 1`, or any free
   * port when `port` is 0. `@grpc/grpc-js` loads only with the first gRPC connection.
   */
  grpcPort?: number;
  /** Data directory: sessions, A2A tasks, cognition state, audit log, auth token. Default: XDG data dir. */
  dataDir?: string;
  /** Workspace the agent works in (default: process.cwd()). */
  cwd?: string;
  /** Bearer token; default resolveAuthToken() (CODETETHER_AUTH_TOKEN, else a generated token file). */
  token?: string;
  /** Public base URL for the agent card (default http://host:port). */
  publicUrl?: string;
  version?: string;
  /**
   * The model A2A tasks and the cognition loop use. Required unless `executor` replaces the agent executor
   * (then cognition is off unless `cognition.provider` is given).
   */
  provider?: Provider;
  model?: string;
  modelInfo?: ModelInfo;
  /**
   * The security runtime A2A tasks take their tools and agent from (`createRuntime` of @codetether/runtime):
   * configured permission rules, sandbox, audit log, secret redaction. The server adds its bearer token to the
   * runtime's known secrets. `codetether serve` always passes one.
   */
  runtime?: Pick<Runtime, "createTools" | "createGate" | "createAgent" | "secrets">;
  /**
   * Builds the tool registry for one A2A task instead of `runtime`. Without either: every built-in tool behind the
   * safe default gate (`safeDefaultGate` of @codetether/tools: write and exec tools are refused).
   */
  createTools?: (context: { cwd: string; autoApprove: AutoApprove }) => ToolRegistry | Promise<ToolRegistry>;
  /** How tool permission asks are answered in A2A tasks (default: the runtime's config, else "safe"). */
  autoApprove?: AutoApprove;
  sessions?: SessionStore;
  /** Audit log; default: opened at `<dataDir>/audit`. */
  audit?: AuditLog;
  /** Replace the agent executor (e.g. the A2A conformance executor). */
  executor?: StoppableExecutor;
  cognition?: {
    enabled?: boolean;
    /** Start the loop with the server (default false; POST /v1/cognition/start starts it). */
    autoStart?: boolean;
    loopIntervalMs?: number;
    /** Thinker model, if different from the main one. */
    provider?: Provider;
    model?: string;
    maxThoughtTokens?: number;
  };
  push?: WebhookPolicy & { enabled?: boolean };
  /**
   * Refuse A2A message parts whose media type the agent card does not list with ContentTypeNotSupportedError
   * (default true: the card says what the executor takes, and nothing else is accepted).
   */
  enforceInputModes?: boolean;
  /**
   * The card's input modes. Default: what the model-backed executor takes (text, JSON, images); with a
   * replacement `executor`, text and JSON only.
   */
  inputModes?: string[];
  maxBodyBytes?: number | string;
  keepAliveMs?: number;
  extraRouters?: ExtraRouter[];
  /**
   * Kubernetes integration for `/v1/k8s/*` and the reconcile loop. Default: detected from the environment
   * (disabled with a reason when there is no cluster); `false` leaves the routes out.
   */
  k8s?: K8sIntegration | false;
  /** Lock a client address out after this many failed authentications (default 10 per minute). */
  authRateLimit?: RateLimitOptions;
  /** A2A task retention (config `[server] task_retention_days`, `max_tasks`; defaults 30 days, 100 000 tasks). */
  taskRetention?: { retentionDays?: number; maxTasks?: number };
  /** Failed-auth audit records are aggregated per client address over this window (default 60 s). */
  authAuditWindowMs?: number;
  /** Caps against slow or connection-hoarding clients (see connection-limits.ts for the defaults). */
  connectionLimits?: ConnectionLimits;
}
