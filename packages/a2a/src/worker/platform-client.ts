import { lazySchema } from "@codetether/core";
import { z } from "zod";
import type { HeartbeatCognition } from "./cognition-share.js";

/** A task as the platform sends it; only the fields the worker reads are typed. */
export const PlatformTaskSchema = lazySchema(() =>
  z
    .object({
      id: z.string().min(1),
      title: z.string().optional(),
      prompt: z.string().optional(),
      description: z.string().optional(),
      agent_type: z.string().optional(),
      model: z.string().optional(),
      model_ref: z.string().optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    })
    .passthrough(),
);
export type PlatformTask = z.infer<typeof PlatformTaskSchema>;

/** Accepts `{id,...}` or `{task:{id,...}}`; returns undefined for anything else. */
export function parsePlatformTask(value: unknown): PlatformTask | undefined {
  const candidate =
    value && typeof value === "object" && "task" in value && !("id" in value)
      ? (value as { task: unknown }).task
      : value;
  const parsed = PlatformTaskSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

export interface WorkerModel {
  id: string;
  name: string;
  provider: string;
  provider_id: string;
}

export interface Registration {
  worker_id: string;
  name: string;
  capabilities: string[];
  hostname: string;
  models: WorkerModel[];
  codebases: string[];
}

export interface Heartbeat {
  worker_id: string;
  agent_name: string;
  status: "idle" | "processing";
  active_task_count: number;
  cognition?: HeartbeatCognition;
}

/** Raised for platform HTTP failures; `status` is the HTTP status (0 for network errors). */
export class PlatformError extends Error {
  override readonly name = "PlatformError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The CodeTether platform's worker endpoints (notes §9.3), with the bearer token on every call. */
export class PlatformClient {
  constructor(
    readonly server: string,
    private readonly token: string | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      "content-type": "application/json",
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      ...extra,
    };
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.server}${path}`, {
        method,
        headers: this.headers(),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ?? AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new PlatformError(`${method} ${path}: ${(err as Error).message}`, 0);
    }
    return response;
  }

  private async expectOk(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await this.request(method, path, body);
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      const hint = response.status === 401 ? " (check --token / CODETETHER_TOKEN)" : "";
      throw new PlatformError(
        `${method} ${path} answered HTTP ${response.status}${hint}: ${text.slice(0, 200)}`,
        response.status,
      );
    }
    return response;
  }

  async register(registration: Registration): Promise<void> {
    const res = await this.expectOk("POST", "/v1/opencode/workers/register", registration);
    await res.body?.cancel();
  }

  async pendingTasks(): Promise<PlatformTask[]> {
    const res = await this.expectOk("GET", "/v1/opencode/tasks?status=pending");
    const body = (await res.json()) as unknown;
    const list = Array.isArray(body) ? body : ((body as { tasks?: unknown[] })?.tasks ?? []);
    return list.map(parsePlatformTask).filter((t): t is PlatformTask => t !== undefined);
  }

  /** True if this worker now owns the task; false if another worker claimed it (409). */
  async claim(taskId: string): Promise<boolean> {
    const res = await this.request("POST", "/v1/worker/tasks/claim", { task_id: taskId });
    await res.body?.cancel();
    if (res.status === 409) return false;
    if (!res.ok) throw new PlatformError(`claim of ${taskId} answered HTTP ${res.status}`, res.status);
    return true;
  }

  async output(taskId: string, workerId: string, output: string): Promise<void> {
    const res = await this.expectOk("POST", `/v1/opencode/tasks/${encodeURIComponent(taskId)}/output`, {
      worker_id: workerId,
      output,
    });
    await res.body?.cancel();
  }

  async release(body: {
    task_id: string;
    status: "completed" | "failed";
    result?: string;
    error?: string;
    session_id?: string;
  }): Promise<void> {
    const res = await this.expectOk("POST", "/v1/worker/tasks/release", body);
    await res.body?.cancel();
  }

  /** Sends a heartbeat; returns the HTTP status so the caller can react to schema rejections. */
  async heartbeat(workerId: string, heartbeat: Heartbeat): Promise<number> {
    const res = await this.request(
      "POST",
      `/v1/opencode/workers/${encodeURIComponent(workerId)}/heartbeat`,
      heartbeat,
    );
    await res.body?.cancel();
    return res.status;
  }

  /** Opens the SSE task stream. */
  async openTaskStream(
    workerId: string,
    agentName: string,
    codebases: string[],
    signal: AbortSignal,
  ): Promise<Response> {
    const query = new URLSearchParams({ agent_name: agentName, worker_id: workerId });
    const response = await this.fetchImpl(`${this.server}/v1/worker/tasks/stream?${query}`, {
      headers: this.headers({
        accept: "text/event-stream",
        "x-worker-id": workerId,
        "x-agent-name": agentName,
        "x-codebases": codebases.join(","),
      }),
      signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new PlatformError(`task stream answered HTTP ${response.status}`, response.status);
    }
    return response;
  }
}

/** Yields the parsed `data:` payload of every SSE event (`[DONE]` and empty events skipped). */
export async function* sseData(response: Response): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, "\n");
    let index = buffer.indexOf("\n\n");
    while (index !== -1) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).replace(/^ /, ""))
        .join("\n")
        .trim();
      if (data && data !== "[DONE]") {
        try {
          yield JSON.parse(data);
        } catch {
          // Not JSON: ignored, like the reference worker.
        }
      }
      index = buffer.indexOf("\n\n");
    }
  }
}
