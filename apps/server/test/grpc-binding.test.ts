import { randomUUID } from "node:crypto";
import {
  type ListTasksResponse,
  Role,
  type SendMessageResponse,
  type StreamResponse,
  type Task,
  TaskState,
} from "@a2a-js/sdk";
import { A2AService } from "@a2a-js/sdk/server/grpc";
import type { ChatRequest, Provider, StreamChunk } from "@codetether/core";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcPortFor } from "../src/grpc-gate.js";
import { start, TOKEN } from "./helpers.js";

// A real gRPC client built from the SDK's own service definition (the same one the server serves).
const Client = grpc.makeGenericClientConstructor(
  A2AService as unknown as grpc.ServiceDefinition,
  "A2AService",
);
type Unary = (
  request: unknown,
  metadata: grpc.Metadata,
  callback: (err: grpc.ServiceError | null, value: unknown) => void,
) => void;
type Streaming = (request: unknown, metadata: grpc.Metadata) => grpc.ClientReadableStream<unknown>;
type A2AClient = grpc.Client & Record<string, Unary | Streaming>;

function connect(address: string): A2AClient {
  return new Client(address, grpc.credentials.createInsecure()) as unknown as A2AClient;
}

function metadata(token?: string): grpc.Metadata {
  const md = new grpc.Metadata();
  if (token !== undefined) md.set("authorization", `Bearer ${token}`);
  md.set("a2a-version", "1.0");
  return md;
}

function unary<T>(client: A2AClient, method: string, request: unknown, md: grpc.Metadata): Promise<T> {
  return new Promise((resolve, reject) =>
    (client[method] as Unary)(request, md, (err, value) => (err ? reject(err) : resolve(value as T))),
  );
}

async function collect(stream: grpc.ClientReadableStream<unknown>): Promise<StreamResponse[]> {
  const events: StreamResponse[] = [];
  for await (const event of stream) events.push(event as StreamResponse);
  return events;
}

function sendRequest(text: string, extra: { taskId?: string; returnImmediately?: boolean } = {}) {
  return {
    tenant: "",
    message: {
      messageId: randomUUID(),
      contextId: "",
      taskId: extra.taskId ?? "",
      role: Role.ROLE_USER,
      parts: [
        {
          content: { $case: "text", value: text },
          metadata: undefined,
          filename: "",
          mediaType: "text/plain",
        },
      ],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: extra.returnImmediately
      ? {
          acceptedOutputModes: [],
          taskPushNotificationConfig: undefined,
          historyLength: undefined,
          returnImmediately: true,
        }
      : undefined,
    metadata: undefined,
  };
}

/** The task state a stream event carries (task or status update). */
function stateOf(event: StreamResponse | undefined): TaskState | undefined {
  const payload = event?.payload;
  if (payload?.$case === "task") return payload.value.status?.state;
  if (payload?.$case === "statusUpdate") return payload.value.status?.state;
  return undefined;
}

/** A scripted model: "hold" waits until released (so a task stays WORKING), anything else answers at once. */
function scriptedProvider() {
  const held: Array<() => void> = [];
  const provider: Provider & { requests: ChatRequest[] } = {
    id: "scripted",
    requests: [],
    async listModels() {
      return [];
    },
    async *stream(request): AsyncIterable<StreamChunk> {
      provider.requests.push(request);
      const last = JSON.stringify(request.messages.at(-1) ?? "");
      if (last.includes("hold")) await new Promise<void>((resolve) => held.push(resolve));
      yield { type: "text-delta", text: `reply #${provider.requests.length}` };
      yield { type: "finish", reason: "stop" };
    },
  };
  return {
    provider,
    release: () => {
      for (const resume of held.splice(0)) resume();
    },
  };
}

const model = scriptedProvider();
let server: Awaited<ReturnType<typeof start>>;
let client: A2AClient;
beforeAll(async () => {
  server = await start({ provider: model.provider });
  client = connect(server.grpcUrl!);
});
afterAll(async () => {
  model.release();
  client?.close();
  await server?.close();
});

describe("A2A over gRPC on the production server", () => {
  it("listens next to HTTP without loading the request stack, and the card declares a GRPC interface", async () => {
    expect(server.grpcUrl).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.stackLoaded()).toBe(false);
    const res = await fetch(`${server.url}/.well-known/agent-card.json`, {
      headers: { "a2a-version": "1.0" },
    });
    const card = (await res.json()) as {
      supportedInterfaces: Array<{ url: string; protocolBinding: string; protocolVersion: string }>;
    };
    expect(card.supportedInterfaces).toContainEqual(
      expect.objectContaining({ url: server.grpcUrl, protocolBinding: "GRPC", protocolVersion: "1.0" }),
    );
    // JSON-RPC stays the preferred (first) interface.
    expect(card.supportedInterfaces[0]?.protocolBinding).toBe("JSONRPC");
  });

  it("SendMessage, GetTask and ListTasks run the real executor and the durable store", async () => {
    const sent = await unary<SendMessageResponse>(
      client,
      "sendMessage",
      sendRequest("hello over grpc"),
      metadata(TOKEN),
    );
    expect(sent.payload?.$case).toBe("task");
    const task = sent.payload?.value as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(JSON.stringify(task.artifacts)).toContain("reply #");

    const got = await unary<Task>(
      client,
      "getTask",
      { tenant: "", id: task.id, historyLength: undefined },
      metadata(TOKEN),
    );
    expect(got.id).toBe(task.id);
    expect(got.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    const listed = await unary<ListTasksResponse>(
      client,
      "listTasks",
      {
        tenant: "",
        contextId: "",
        status: 0,
        pageSize: undefined,
        pageToken: "",
        historyLength: undefined,
        statusTimestampAfter: undefined,
        includeArtifacts: undefined,
      },
      metadata(TOKEN),
    );
    expect(listed.tasks.map((t) => t.id)).toContain(task.id);

    // The same task is visible over HTTP: one store.
    const rest = await fetch(`${server.url}/a2a/rest/tasks/${task.id}`, {
      headers: { authorization: `Bearer ${TOKEN}`, "a2a-version": "1.0" },
    });
    expect(rest.status).toBe(200);
  });

  it("SendStreamingMessage streams the task to its terminal state", async () => {
    const events = await collect(
      (client.sendStreamingMessage as Streaming)(sendRequest("stream please"), metadata(TOKEN)),
    );
    const cases = events.map((e) => e.payload?.$case);
    expect(cases[0]).toBe("task");
    expect(cases.at(-1)).toBe("statusUpdate");
    expect(stateOf(events.at(-1))).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(cases).toContain("artifactUpdate");
  });

  it("CancelTask cancels a working task, and SubscribeToTask sees it end", async () => {
    const sent = await unary<SendMessageResponse>(
      client,
      "sendMessage",
      sendRequest("hold this one", { returnImmediately: true }),
      metadata(TOKEN),
    );
    const taskId = (sent.payload as { value: Task }).value.id;
    const subscription = collect(
      (client.subscribeToTask as Streaming)({ tenant: "", id: taskId }, metadata(TOKEN)),
    );
    const canceled = await unary<Task>(
      client,
      "cancelTask",
      { tenant: "", id: taskId, metadata: undefined },
      metadata(TOKEN),
    );
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    model.release();
    const events = await subscription;
    expect(events[0]?.payload?.$case).toBe("task");
    const states = events.map(stateOf);
    expect(states).toContain(TaskState.TASK_STATE_CANCELED);
  });

  it("audits every gRPC call like an HTTP call", async () => {
    await unary(
      client,
      "getTask",
      { tenant: "", id: "no-such-task", historyLength: undefined },
      metadata(TOKEN),
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const records = (await server.audit.query({ action: "api.call", limit: 1000 })).records;
    const grpcRecords = records.filter((r) => r.resource.startsWith("GRPC "));
    const resources = grpcRecords.map((r) => r.resource);
    expect(resources).toContain("GRPC /lf.a2a.v1.A2AService/SendMessage");
    expect(resources).toContain("GRPC /lf.a2a.v1.A2AService/SendStreamingMessage");
    expect(resources).toContain("GRPC /lf.a2a.v1.A2AService/CancelTask");
    const notFound = grpcRecords.find(
      (r) => r.resource === "GRPC /lf.a2a.v1.A2AService/GetTask" && r.outcome === "failure",
    );
    expect(notFound?.details).toMatchObject({ grpc_status: grpc.status.NOT_FOUND });
    expect(grpcRecords.every((r) => r.actor === "bearer-token-user")).toBe(true);
    expect(JSON.stringify(records)).not.toContain(TOKEN);
  });
});

describe("authentication on every gRPC method (enumerated from the service definition)", () => {
  const methods = Object.entries(
    A2AService as unknown as Record<string, { path: string; responseStream: boolean }>,
  );

  async function statusOf(name: string, streaming: boolean, md: grpc.Metadata): Promise<number> {
    // An empty request: decoding gives every field its default, so the handler would run if auth let it.
    const request = (A2AService as unknown as Record<string, { requestDeserialize(b: Buffer): unknown }>)[
      name
    ]!.requestDeserialize(Buffer.alloc(0));
    if (streaming) {
      try {
        await collect((client[name] as Streaming)(request, md));
        return grpc.status.OK;
      } catch (err) {
        return (err as grpc.ServiceError).code;
      }
    }
    return unary(client, name, request, md).then(
      () => grpc.status.OK,
      (err: grpc.ServiceError) => err.code,
    );
  }

  it("every method answers UNAUTHENTICATED without a token, with a wrong one and with Basic auth", async () => {
    expect(methods.length).toBe(11);
    const before = model.provider.requests.length;
    for (const [name, definition] of methods) {
      expect(
        await statusOf(name, definition.responseStream, metadata()),
        `${definition.path} without token`,
      ).toBe(grpc.status.UNAUTHENTICATED);
      expect(
        await statusOf(name, definition.responseStream, metadata("not-the-right-token-at-all")),
        `${definition.path} with a wrong token`,
      ).toBe(grpc.status.UNAUTHENTICATED);
      const basic = metadata();
      basic.set("authorization", `Basic ${Buffer.from("a:b").toString("base64")}`);
      expect(await statusOf(name, definition.responseStream, basic), `${definition.path} with Basic`).toBe(
        grpc.status.UNAUTHENTICATED,
      );
    }
    // Nothing ran.
    expect(model.provider.requests.length).toBe(before);
  });

  it("the valid token passes on every method (the handler answers, not auth)", async () => {
    for (const [name, definition] of methods) {
      expect(await statusOf(name, definition.responseStream, metadata(TOKEN)), definition.path).not.toBe(
        grpc.status.UNAUTHENTICATED,
      );
    }
  });
});

describe("gRPC shares HTTP's failed-auth limiter", () => {
  it("locks an address out after failures on either binding, and never refuses the valid token", async () => {
    const s = await start({ authRateLimit: { maxFailures: 3, windowMs: 60_000 } });
    const c = connect(s.grpcUrl!);
    try {
      for (let i = 0; i < 2; i++) {
        const r = await fetch(`${s.url}/v1/sessions`, {
          headers: { authorization: "Bearer wrong-token-but-long-enough" },
        });
        expect(r.status).toBe(401);
      }
      const third = await unary(
        c,
        "getTask",
        { tenant: "", id: "x", historyLength: undefined },
        metadata("wrong-token-but-long-enough"),
      ).catch((e: grpc.ServiceError) => e.code);
      expect(third).toBe(grpc.status.UNAUTHENTICATED);
      const locked = await unary(
        c,
        "getTask",
        { tenant: "", id: "x", historyLength: undefined },
        metadata(),
      ).catch((e: grpc.ServiceError) => e.code);
      expect(locked).toBe(grpc.status.RESOURCE_EXHAUSTED);
      const http = await fetch(`${s.url}/v1/sessions`);
      expect(http.status).toBe(429);
      // The valid token still works over gRPC during the lockout.
      const ok = await unary(
        c,
        "getTask",
        { tenant: "", id: "x", historyLength: undefined },
        metadata(TOKEN),
      ).catch((e: grpc.ServiceError) => e.code);
      expect(ok).toBe(grpc.status.NOT_FOUND);
    } finally {
      c.close();
      await s.close();
    }
  });
});

describe("--grpc-port", () => {
  it("defaults to the HTTP port + 1, any free port next to port 0, and 0 turns it off", () => {
    expect(grpcPortFor(4096, undefined)).toBe(4097);
    expect(grpcPortFor(0, undefined)).toBe(0);
    expect(grpcPortFor(4096, 5000)).toBe(5000);
    expect(grpcPortFor(4096, 0)).toBeUndefined();
    expect(() => grpcPortFor(65535, undefined)).toThrow(/--grpc-port/);
  });

  it("0 disables gRPC: no listener and no GRPC interface in the card", async () => {
    const s = await start({ grpcPort: 0 });
    try {
      expect(s.grpcUrl).toBeUndefined();
      const card = (await (
        await fetch(`${s.url}/.well-known/agent-card.json`, { headers: { "a2a-version": "1.0" } })
      ).json()) as { supportedInterfaces: Array<{ protocolBinding: string }> };
      expect(card.supportedInterfaces.map((i) => i.protocolBinding)).not.toContain("GRPC");
    } finally {
      await s.close();
    }
  });

  it("a taken gRPC port is a start-up error naming --grpc-port", async () => {
    const s = await start();
    try {
      const port = Number(s.grpcUrl!.split(":").at(-1));
      await expect(start({ grpcPort: port })).rejects.toThrow(/--grpc-port/);
    } finally {
      await s.close();
    }
  });
});
