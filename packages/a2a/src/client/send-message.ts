import { randomUUID } from "node:crypto";
import { type Message, type Part, Role, type StreamResponse, type Task, taskStateToJSON } from "@a2a-js/sdk";
import {
  ClientFactory,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
  type TransportFactory,
} from "@a2a-js/sdk/client";

export interface SendA2AMessageOptions {
  /** Agent base URL (`http://host:4096`) or the full URL of its agent card. */
  url: string;
  /** Bearer token, sent only to the origin of `url` (never to other hosts a card may name). */
  token?: string;
  /** Text to send. */
  message: string;
  /** Stream events as they happen (SendStreamingMessage) instead of one blocking SendMessage. */
  stream?: boolean;
  contextId?: string;
  /** Continue an existing task (e.g. answer INPUT_REQUIRED). */
  taskId?: string;
  signal?: AbortSignal;
  /**
   * Binding (default JSON-RPC). `GRPC` uses the card's GRPC interface (`host:port`, plaintext HTTP/2) and
   * sends the token as `authorization` metadata only when that interface is on the host `url` names.
   */
  transport?: A2ABinding;
  fetch?: typeof fetch;
}

/** The A2A 1.0 protocol bindings the client speaks. */
export type A2ABinding = "JSONRPC" | "HTTP+JSON" | "GRPC";

/** What the client reports, independent of the SDK's generated types. States are spec names. */
export type A2AClientEvent =
  | { type: "task"; taskId: string; contextId: string; state: string; text?: string }
  | { type: "status"; taskId: string; contextId: string; state: string; text?: string }
  | {
      type: "artifact";
      taskId: string;
      artifactId: string;
      name: string;
      text: string;
      data: unknown[];
      append: boolean;
      lastChunk: boolean;
    }
  | { type: "message"; contextId: string; text: string };

export const TERMINAL_STATES = new Set([
  "TASK_STATE_COMPLETED",
  "TASK_STATE_FAILED",
  "TASK_STATE_CANCELED",
  "TASK_STATE_REJECTED",
]);

function partsText(parts: Part[] | undefined): string {
  return (parts ?? []).map((p) => (p.content?.$case === "text" ? p.content.value : "")).join("");
}

function partsData(parts: Part[]): unknown[] {
  return parts.flatMap((p) => (p.content?.$case === "data" ? [p.content.value] : []));
}

/** Raised when the agent refuses the credentials (HTTP 401/403). */
export class A2AAuthError extends Error {
  override readonly name = "A2AAuthError";
}

/**
 * Adds the bearer token only for requests to the origin the user named, so a card advertising
 * interfaces on another host cannot collect the token.
 */
function authFetch(
  token: string | undefined,
  origin: string,
  base: typeof fetch,
  onDenied: (status: number, url: string) => void,
): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const target = input instanceof Request ? input.url : String(input);
    if (token && new URL(target).origin === origin) headers.set("authorization", `Bearer ${token}`);
    // Ask for the v1.0 card; servers without version negotiation ignore the header.
    if (/\.json($|\?)/.test(target) && !headers.has("a2a-version")) headers.set("a2a-version", "1.0");
    const response = await base(input, { ...init, headers });
    if (response.status === 401 || response.status === 403) onDenied(response.status, String(input));
    return response;
  };
}

type ArtifactEvent = Extract<A2AClientEvent, { type: "artifact" }>;

/**
 * An artifact event whose `text` is only what this stream has not yet delivered for that artifact: a
 * server may end a streamed artifact with its whole text (`append: false`) after the chunks, and printing
 * that again would repeat the reply. A replacement that does not continue the chunks is passed on whole.
 */
function onlyNewText(event: ArtifactEvent, streamed: Map<string, string>): ArtifactEvent {
  const before = streamed.get(event.artifactId) ?? "";
  if (event.append) {
    streamed.set(event.artifactId, before + event.text);
    return event;
  }
  streamed.set(event.artifactId, event.text);
  return before && event.text.startsWith(before)
    ? { ...event, text: event.text.slice(before.length) }
    : event;
}

/** The host of a gRPC interface URL (`host:port`, `[v6]:port`, or a URL with a scheme). */
function grpcHost(url: string): string {
  const authority = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").split("/")[0] ?? "";
  const bracketed = /^\[([^\]]+)\]/.exec(authority);
  if (bracketed) return bracketed[1] ?? "";
  return authority.replace(/:\d+$/, "");
}

function taskEvent(task: Task): A2AClientEvent {
  const text = partsText(task.status?.message?.parts);
  return {
    type: "task",
    taskId: task.id,
    contextId: task.contextId,
    state: taskStateToJSON(task.status?.state ?? 0),
    ...(text ? { text } : {}),
  };
}

function toEvent(response: StreamResponse): A2AClientEvent | undefined {
  const payload = response.payload;
  switch (payload?.$case) {
    case "task":
      return taskEvent(payload.value);
    case "message":
      return { type: "message", contextId: payload.value.contextId, text: partsText(payload.value.parts) };
    case "statusUpdate": {
      const text = partsText(payload.value.status?.message?.parts);
      return {
        type: "status",
        taskId: payload.value.taskId,
        contextId: payload.value.contextId,
        state: taskStateToJSON(payload.value.status?.state ?? 0),
        ...(text ? { text } : {}),
      };
    }
    case "artifactUpdate": {
      const artifact = payload.value.artifact;
      return {
        type: "artifact",
        taskId: payload.value.taskId,
        artifactId: artifact?.artifactId ?? "",
        name: artifact?.name ?? "",
        text: partsText(artifact?.parts),
        data: partsData(artifact?.parts ?? []),
        append: payload.value.append,
        lastChunk: payload.value.lastChunk,
      };
    }
    default:
      return undefined;
  }
}

/**
 * Sends one message to an A2A agent through the official SDK client (card discovery, transport
 * selection, v1.0 wire format) and yields what happens, ending at a terminal or interrupted state.
 */
export async function* sendA2AMessage(options: SendA2AMessageOptions): AsyncGenerator<A2AClientEvent> {
  let denied: { status: number; url: string } | undefined;
  const fetchImpl = authFetch(
    options.token,
    new URL(options.url).origin,
    options.fetch ?? fetch,
    (status, url) => {
      denied = { status, url };
    },
  );
  try {
    yield* sendWith(fetchImpl, options);
  } catch (err) {
    // gRPC status 16 = UNAUTHENTICATED: grpc-js errors carry `code`; the SDK rethrows them as
    // "gRPC error for <method>: 16 <details>".
    const grpcCode = (err as { code?: unknown }).code;
    if (
      !denied &&
      options.transport === "GRPC" &&
      (grpcCode === 16 || /gRPC error for \w+: 16 |UNAUTHENTICATED/.test(String(err)))
    ) {
      denied = { status: 16, url: "gRPC" };
    }
    if (denied) {
      throw new A2AAuthError(
        `${denied.url === "gRPC" ? "The gRPC interface answered UNAUTHENTICATED" : `${denied.url} answered HTTP ${denied.status}`}: the agent refused the credentials. ` +
          (options.token
            ? "Check the bearer token (--token / CODETETHER_TOKEN)."
            : "Pass a bearer token with --token or CODETETHER_TOKEN."),
      );
    }
    throw err;
  }
}

async function* sendWith(
  fetchImpl: typeof fetch,
  options: SendA2AMessageOptions,
): AsyncGenerator<A2AClientEvent> {
  const legacyCompat = { enabled: true };
  const cardResolver = new DefaultAgentCardResolver({ fetchImpl, legacyCompat });
  const isCardUrl = /\.json($|\?)/.test(options.url);
  const card = isCardUrl
    ? await cardResolver.resolve(options.url, "")
    : await cardResolver.resolve(options.url);
  const binding = options.transport ?? "JSONRPC";
  let serviceParameters: Record<string, string> | undefined;
  const transports: TransportFactory[] = [
    new JsonRpcTransportFactory({ fetchImpl, legacyCompat }),
    new RestTransportFactory({ fetchImpl, legacyCompat }),
  ];
  if (binding === "GRPC") {
    const grpcInterface = card.supportedInterfaces.find((i) => i.protocolBinding === "GRPC");
    if (!grpcInterface) {
      throw new Error(
        `The agent at ${options.url} declares no GRPC interface in its card; use --binding jsonrpc or rest.`,
      );
    }
    if (
      options.token &&
      grpcHost(grpcInterface.url) === new URL(options.url).hostname.replace(/^\[|\]$/g, "")
    ) {
      serviceParameters = { authorization: `Bearer ${options.token}` };
    }
    // Loaded only for gRPC: @grpc/grpc-js is large.
    const { GrpcTransportFactory } = await import("@a2a-js/sdk/client/grpc");
    transports.push(new GrpcTransportFactory());
  }
  const factory = new ClientFactory({ transports, cardResolver, preferredTransports: [binding] });
  const client = await factory.createFromAgentCard(card);
  const message: Message = {
    messageId: randomUUID(),
    contextId: options.contextId ?? "",
    taskId: options.taskId ?? "",
    role: Role.ROLE_USER,
    parts: [
      {
        content: { $case: "text", value: options.message },
        metadata: undefined,
        filename: "",
        mediaType: "text/plain",
      },
    ],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
  const request = { tenant: "", message, configuration: undefined, metadata: undefined };
  const requestOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(serviceParameters ? { serviceParameters } : {}),
  };
  if (options.stream) {
    const streamed = new Map<string, string>();
    for await (const response of client.sendMessageStream(request, requestOptions)) {
      const event = toEvent(response);
      if (event) yield event.type === "artifact" ? onlyNewText(event, streamed) : event;
    }
    return;
  }
  const result = await client.sendMessage(request, requestOptions);
  if ("status" in result) {
    const task = result as Task;
    for (const artifact of task.artifacts) {
      yield {
        type: "artifact",
        taskId: task.id,
        artifactId: artifact.artifactId,
        name: artifact.name,
        text: partsText(artifact.parts),
        data: partsData(artifact.parts),
        append: false,
        lastChunk: true,
      };
    }
    yield taskEvent(task);
  } else {
    const msg = result as Message;
    yield { type: "message", contextId: msg.contextId, text: partsText(msg.parts) };
  }
}
