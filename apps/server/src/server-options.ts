import type { StoppableExecutor, WebhookPolicy } from "@codetether/a2a";
import type { AutoApprove, ModelInfo, Provider, SessionStore, ToolRegistry } from "@codetether/core";
import type { AuditLog, RateLimitOptions } from "@codetether/security";
import type { RequestHandler } from "express";
import type { RouteSpec } from "./route-table.js";

/** A router mounted by another package (e.g. `/v1/k8s`), always behind auth and audit. */
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
  /** Data directory: sessions, A2A tasks, cognition state, audit log, auth token. Default: XDG data dir. */
  dataDir?: string;
  /** Workspace the agent works in (default: process.cwd()). */
  cwd?: string;
  /** Bearer token; default resolveAuthToken() (CODETETHER_AUTH_TOKEN, else a generated token file). */
  token?: string;
  /** Public base URL for the agent card (default http://host:port). */
  publicUrl?: string;
  version?: string;
  /** The model A2A tasks and the cognition loop use. */
  provider: Provider;
  model: string;
  modelInfo?: ModelInfo;
  /** Builds the tool registry for one A2A task. Default: every built-in tool (`createToolRegistry`) behind a RuleGate. */
  createTools?: (context: { cwd: string; autoApprove: AutoApprove }) => ToolRegistry | Promise<ToolRegistry>;
  /** How tool permission asks are answered in A2A tasks (default "safe"). */
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
  maxBodyBytes?: number | string;
  keepAliveMs?: number;
  extraRouters?: ExtraRouter[];
  /** Lock a client address out after this many failed authentications (default 10 per minute). */
  authRateLimit?: RateLimitOptions;
}
