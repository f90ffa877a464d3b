import { beforeAll } from "vitest";
import type { A2AWireClient, Wire, WireStream } from "../src/index.js";
import type { Sut } from "./sut.js";

/** The outcome of one operation, the same shape for both bindings. */
export interface OpResult {
  /** HTTP status of the response. */
  status: number;
  /** The operation's result object (JSON-RPC `result`, HTTP+JSON body) when it succeeded. */
  result?: Wire;
  /** JSON-RPC error code, or the HTTP+JSON `error.code` (the HTTP status). */
  code?: number;
  /** google.rpc.Status `status` (HTTP+JSON only), e.g. NOT_FOUND. */
  grpcStatus?: string;
  /** ErrorInfo reason (spec 1.0.1 §9.5 / §11.6), e.g. TASK_NOT_FOUND. */
  reason?: string;
  raw: Wire;
}

export interface Binding {
  name: "JSONRPC" | "HTTP+JSON";
  send(request: Wire): Promise<OpResult>;
  stream(request: Wire): Promise<WireStream>;
  get(id: string, historyLength?: number): Promise<OpResult>;
  list(query: Record<string, string | number>): Promise<OpResult>;
  cancel(id: string): Promise<OpResult>;
  subscribe(id: string): Promise<WireStream>;
  createPush(taskId: string, config: Wire): Promise<OpResult>;
  getPush(taskId: string, id: string): Promise<OpResult>;
  listPush(taskId: string): Promise<OpResult>;
  deletePush(taskId: string, id: string): Promise<OpResult>;
}

function errorInfo(details: Wire): string | undefined {
  return Array.isArray(details)
    ? details.find((d: Wire) => d?.["@type"] === "type.googleapis.com/google.rpc.ErrorInfo")?.reason
    : undefined;
}

function fromRpc(res: { status: number; body: Wire }): OpResult {
  const body = res.body;
  if (body?.error) {
    return { status: res.status, code: body.error.code, reason: errorInfo(body.error.data), raw: body };
  }
  return { status: res.status, result: body?.result, raw: body };
}

function fromRest(res: { status: number; body: Wire }): OpResult {
  const body = res.body;
  if (res.status >= 400) {
    return {
      status: res.status,
      code: body?.error?.code,
      grpcStatus: body?.error?.status,
      reason: errorInfo(body?.error?.details),
      raw: body,
    };
  }
  return { status: res.status, result: body, raw: body };
}

export function jsonRpcBinding(client: A2AWireClient): Binding {
  return {
    name: "JSONRPC",
    send: async (request) => fromRpc(await client.rpc("SendMessage", request)),
    stream: (request) => client.rpcStream("SendStreamingMessage", request),
    get: async (id, historyLength) =>
      fromRpc(await client.rpc("GetTask", { id, ...(historyLength !== undefined ? { historyLength } : {}) })),
    list: async (query) => fromRpc(await client.rpc("ListTasks", query)),
    cancel: async (id) => fromRpc(await client.rpc("CancelTask", { id })),
    subscribe: (id) => client.rpcStream("SubscribeToTask", { id }),
    createPush: async (taskId, config) =>
      fromRpc(await client.rpc("CreateTaskPushNotificationConfig", { ...config, taskId })),
    getPush: async (taskId, id) => fromRpc(await client.rpc("GetTaskPushNotificationConfig", { taskId, id })),
    listPush: async (taskId) => fromRpc(await client.rpc("ListTaskPushNotificationConfigs", { taskId })),
    deletePush: async (taskId, id) =>
      fromRpc(await client.rpc("DeleteTaskPushNotificationConfig", { taskId, id })),
  };
}

export function restBinding(client: A2AWireClient): Binding {
  const enc = encodeURIComponent;
  return {
    name: "HTTP+JSON",
    send: async (request) => fromRest(await client.rest("POST", "/message:send", request)),
    stream: (request) => client.restStream("POST", "/message:stream", request),
    get: async (id, historyLength) =>
      fromRest(
        await client.rest(
          "GET",
          `/tasks/${enc(id)}${historyLength !== undefined ? `?historyLength=${historyLength}` : ""}`,
        ),
      ),
    list: async (query) => {
      const qs = new URLSearchParams(
        Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
      return fromRest(await client.rest("GET", `/tasks${qs ? `?${qs}` : ""}`));
    },
    cancel: async (id) => fromRest(await client.rest("POST", `/tasks/${enc(id)}:cancel`, {})),
    subscribe: (id) => client.restStream("GET", `/tasks/${enc(id)}:subscribe`),
    createPush: async (taskId, config) =>
      fromRest(
        await client.rest("POST", `/tasks/${enc(taskId)}/pushNotificationConfigs`, { ...config, taskId }),
      ),
    getPush: async (taskId, id) =>
      fromRest(await client.rest("GET", `/tasks/${enc(taskId)}/pushNotificationConfigs/${enc(id)}`)),
    listPush: async (taskId) =>
      fromRest(await client.rest("GET", `/tasks/${enc(taskId)}/pushNotificationConfigs`)),
    deletePush: async (taskId, id) =>
      fromRest(await client.rest("DELETE", `/tasks/${enc(taskId)}/pushNotificationConfigs/${enc(id)}`)),
  };
}

/** Spec 1.0.1 §5.4 error table: JSON-RPC code, HTTP status and google.rpc status per A2A error. */
export const A2A_ERRORS = {
  TASK_NOT_FOUND: { rpc: -32001, http: 404, grpc: "NOT_FOUND" },
  TASK_NOT_CANCELABLE: { rpc: -32002, http: 400, grpc: "FAILED_PRECONDITION" },
  UNSUPPORTED_OPERATION: { rpc: -32004, http: 400, grpc: "FAILED_PRECONDITION" },
  INVALID_PARAMS: { rpc: -32602, http: 400, grpc: "INVALID_ARGUMENT" },
  CONTENT_TYPE_NOT_SUPPORTED: { rpc: -32005, http: 400, grpc: "INVALID_ARGUMENT" },
  VERSION_NOT_SUPPORTED: { rpc: -32009, http: 400, grpc: "FAILED_PRECONDITION" },
} as const;

/** Asserts an A2A error on either binding (code, HTTP status, google.rpc status and ErrorInfo reason). */
export function expectA2AError(binding: Binding, res: OpResult, error: keyof typeof A2A_ERRORS): void {
  const want = A2A_ERRORS[error];
  const got =
    binding.name === "JSONRPC"
      ? { code: res.code, reason: res.reason }
      : { status: res.status, grpcStatus: res.grpcStatus, reason: res.reason };
  const expected =
    binding.name === "JSONRPC"
      ? { code: want.rpc, reason: error }
      : { status: want.http, grpcStatus: want.grpc, reason: error };
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(
      `${binding.name}: expected ${error} ${JSON.stringify(expected)}, got ${JSON.stringify(got)}: ${JSON.stringify(res.raw)}`,
    );
  }
}

/**
 * Both bindings over the SUT's client by name (`JSONRPC`, `HTTP+JSON`), for `describe.each` over the two; filled in
 * the calling file's `beforeAll`, after `useSut` started the server.
 */
export function useBindings(sut: Sut): Record<string, Binding> {
  const bindings: Record<string, Binding> = {};
  beforeAll(() => {
    bindings.JSONRPC = jsonRpcBinding(sut.client);
    bindings["HTTP+JSON"] = restBinding(sut.client);
  });
  return bindings;
}
