import { randomBytes } from "node:crypto";
import os from "node:os";
import { type AutoApprove, backoffDelay, sleep } from "@codetether/core";
import { readCognitionForHeartbeat } from "./cognition-share.js";
import {
  type Heartbeat,
  PlatformClient,
  type PlatformTask,
  parsePlatformTask,
  sseData,
  type WorkerModel,
} from "./platform-client.js";
import type { WorkerTaskRunner } from "./task-runners.js";
import { cognitionShareConfig } from "./worker-config.js";

export interface WorkerOptions {
  /** Platform base URL (`--server`, `CODETETHER_SERVER`). */
  server: string;
  /** Bearer token for every platform call (`--token`, `CODETETHER_TOKEN`). */
  token?: string;
  /** `--name` (default `codetether-<pid>`). */
  name?: string;
  /** `--codebases a,b` (default: cwd). */
  codebases?: string[];
  /** `--auto-approve all|safe|none` (default safe); the runner uses it to limit tools. */
  autoApprove?: AutoApprove;
  /** Runs claimed tasks: `localAgentRunner(...)` or `a2aForwardRunner(...)`. */
  runner: WorkerTaskRunner;
  models?: WorkerModel[];
  capabilities?: string[];
  heartbeatMs?: number;
  pollMs?: number;
  /** Reconnect backoff after the stream drops (default 1 s doubling to 30 s). */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** How long a heartbeat omits `cognition` after the platform rejects it (default 300 s). */
  cognitionPauseMs?: number;
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface WorkerHandle {
  workerId: string;
  /** Stops the worker: closes the stream, aborts running tasks (released as failed), stops heartbeats. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
}

/** `wrk_<unix seconds>_<16 hex>`, like the reference worker. */
export function newWorkerId(now = Date.now()): string {
  return `wrk_${Math.floor(now / 1000)}_${randomBytes(8).toString("hex")}`;
}

/**
 * The CodeTether platform worker: register, poll pending tasks, follow the SSE task stream, claim
 * (409 = someone else has it), stream output, release, heartbeat every 30 s with the local cognition
 * status, and reconnect with backoff (re-registering) whenever the platform goes away.
 */
export function runWorker(options: WorkerOptions): WorkerHandle {
  const env = options.env ?? process.env;
  const cognition = cognitionShareConfig(env);
  const workerId = newWorkerId();
  const name = options.name ?? `codetether-${process.pid}`;
  const codebases = options.codebases ?? [process.cwd()];
  const fetchImpl = options.fetch ?? fetch;
  const client = new PlatformClient(options.server.replace(/\/+$/, ""), options.token, fetchImpl);
  const log = options.log ?? (() => {});
  const stopper = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
  const running = new Map<string, AbortController>();
  const seen = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let cognitionPausedUntil = 0;

  const handle = (task: PlatformTask) => {
    if (signal.aborted || running.has(task.id) || seen.has(task.id)) return;
    seen.add(task.id);
    const controller = new AbortController();
    running.set(task.id, controller);
    const work = processTask(task, controller).finally(() => {
      running.delete(task.id);
      inFlight.delete(work);
    });
    inFlight.add(work);
  };

  const processTask = async (task: PlatformTask, controller: AbortController) => {
    try {
      if (!(await client.claim(task.id))) {
        log(`task ${task.id} already claimed by another worker; skipped`);
        return;
      }
    } catch (err) {
      seen.delete(task.id); // retry on a later poll
      log(`claim of ${task.id} failed: ${(err as Error).message}`);
      return;
    }
    log(`task ${task.id} claimed`);
    let outputChain = Promise.resolve();
    const emitOutput = (text: string) => {
      outputChain = outputChain.then(() => client.output(task.id, workerId, text).catch(() => {}));
    };
    try {
      const taskSignal = AbortSignal.any([controller.signal, signal]);
      const { result, sessionId } = await options.runner(task, { emitOutput, signal: taskSignal });
      await outputChain;
      await client.release({
        task_id: task.id,
        status: "completed",
        result,
        ...(sessionId ? { session_id: sessionId } : {}),
      });
      log(`task ${task.id} completed`);
    } catch (err) {
      await outputChain;
      const message = signal.aborted ? "worker stopped before the task finished" : (err as Error).message;
      await client.release({ task_id: task.id, status: "failed", error: message }).catch(() => {});
      log(`task ${task.id} failed: ${message}`);
    }
  };

  let beating: Promise<void> | undefined;
  /** One heartbeat at a time: a slow platform must not pile up concurrent beats. */
  const heartbeat = (): Promise<void> => {
    beating ??= sendHeartbeat().finally(() => {
      beating = undefined;
    });
    return beating;
  };

  const sendHeartbeat = async () => {
    const body: Heartbeat = {
      worker_id: workerId,
      agent_name: name,
      status: running.size > 0 ? "processing" : "idle",
      active_task_count: running.size,
    };
    if (Date.now() >= cognitionPausedUntil) {
      const shared = await readCognitionForHeartbeat(cognition, fetchImpl);
      if (shared) body.cognition = shared;
    }
    const status = await client.heartbeat(workerId, body).catch(() => 0);
    if ((status === 400 || status === 422) && body.cognition) {
      cognitionPausedUntil = Date.now() + (options.cognitionPauseMs ?? 300_000);
      log("platform rejected the cognition payload; omitting it from heartbeats for a while");
      await client.heartbeat(workerId, { ...body, cognition: undefined } as Heartbeat).catch(() => 0);
    }
  };

  const poll = async () => {
    try {
      for (const task of await client.pendingTasks()) handle(task);
    } catch (err) {
      log(`pending-task poll failed: ${(err as Error).message}`);
    }
  };

  const loop = async () => {
    let attempt = 0;
    const heartbeatTimer = setInterval(() => void heartbeat(), options.heartbeatMs ?? 30_000);
    const pollTimer = setInterval(() => void poll(), options.pollMs ?? 30_000);
    try {
      while (!signal.aborted) {
        try {
          await client.register({
            worker_id: workerId,
            name,
            capabilities: options.capabilities ?? ["ralph", "swarm", "rlm", "a2a", "mcp"],
            hostname: os.hostname(),
            models: options.models ?? [],
            codebases,
          });
          log(`registered as ${workerId}`);
          await heartbeat();
          await poll();
          const stream = await client.openTaskStream(workerId, name, codebases, signal);
          attempt = 0;
          for await (const data of sseData(stream)) {
            const task = parsePlatformTask(data);
            if (task) handle(task);
          }
          log("task stream closed by the platform; reconnecting");
        } catch (err) {
          if (signal.aborted) break;
          log(`platform connection failed: ${(err as Error).message}`);
        }
        attempt++;
        const delay = backoffDelay(attempt, undefined, {
          baseMs: options.reconnectBaseMs ?? 1_000,
          maxMs: options.reconnectMaxMs ?? 30_000,
        });
        await sleep(delay, signal).catch(() => {});
      }
    } finally {
      clearInterval(heartbeatTimer);
      clearInterval(pollTimer);
      for (const controller of running.values()) controller.abort(new Error("worker stopped"));
      await Promise.all([...inFlight]);
    }
  };

  const done = loop();
  return {
    workerId,
    done,
    async stop() {
      stopper.abort(new Error("worker stopped"));
      await done;
    },
  };
}
