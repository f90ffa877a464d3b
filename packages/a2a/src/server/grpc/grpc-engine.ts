import type { Duplex } from "node:stream";
import type { User } from "@a2a-js/sdk/server";
import { A2AService, grpcService } from "@a2a-js/sdk/server/grpc";
import * as grpc from "@grpc/grpc-js";
import type { GrpcGate } from "./grpc-gate.js";

type Definition = { path: string; responseStream: boolean };
type Call = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;
type Implementation = grpc.UntypedServiceImplementation;

/** The authenticated caller, as the gate named it. */
class GrpcPrincipal implements User {
  constructor(private readonly name: string) {}
  get isAuthenticated() {
    return true;
  }
  get userName() {
    return this.name;
  }
}

/** `getPeer()` is `address:port` (IPv6 unbracketed); the limiter and audit key on the address alone. */
export function peerAddress(peer: string): string {
  const colon = peer.lastIndexOf(":");
  return colon > 0 && /^\d+$/.test(peer.slice(colon + 1)) ? peer.slice(0, colon) : peer;
}

/**
 * The gRPC server proper (loaded on the first connection, see grpc-listener.ts): the SDK's A2AService
 * implementation behind the gate. Every call is authorized from its `authorization` metadata before the
 * SDK sees it; refused ones end UNAUTHENTICATED (or RESOURCE_EXHAUSTED while the address is locked out).
 */
export function createGrpcEngine(options: { gate: GrpcGate; maxMessageBytes: number }) {
  const { gate } = options;
  const principals = new WeakMap<object, string>();
  let sdk: Promise<Implementation> | undefined;
  const implementation = () => {
    sdk ??= gate.requestHandler().then(
      (requestHandler) =>
        grpcService({
          requestHandler,
          userBuilder: async (call) => new GrpcPrincipal(principals.get(call) ?? "anonymous"),
        }) as unknown as Implementation,
    );
    sdk.catch(() => {
      sdk = undefined;
    });
    return sdk;
  };

  /** Authorizes a call; on refusal returns the status to end it with. */
  const admit = (call: Call, method: string): { client: string; refusal?: grpc.StatusObject } => {
    const client = peerAddress(call.getPeer());
    const decision = gate.authorize({
      authorization: call.metadata.get("authorization").map(String),
      client,
      method,
    });
    if (decision.ok) {
      principals.set(call, decision.principal);
      return { client };
    }
    const code =
      decision.reason === "rate_limited" ? grpc.status.RESOURCE_EXHAUSTED : grpc.status.UNAUTHENTICATED;
    return { client, refusal: { code, details: decision.message, metadata: new grpc.Metadata() } };
  };
  const unavailable = (err: unknown): grpc.StatusObject => ({
    code: grpc.status.UNAVAILABLE,
    details: `The server could not load its A2A request handler: ${(err as Error)?.message ?? String(err)}. Retry the call.`,
    metadata: new grpc.Metadata(),
  });
  const ended = (method: string, call: Call, client: string, started: number, code: number) =>
    gate.onCallEnd?.({
      method,
      principal: principals.get(call) ?? "anonymous",
      client,
      code,
      durationMs: Math.round(performance.now() - started),
    });

  const wrapped: Implementation = {};
  for (const [name, definition] of Object.entries(A2AService as Record<string, Definition>)) {
    const method = definition.path;
    if (definition.responseStream) {
      wrapped[name] = (call: grpc.ServerWritableStream<unknown, unknown>) => {
        const started = performance.now();
        const { client, refusal } = admit(call, method);
        if (refusal) {
          call.emit("error", refusal);
          return;
        }
        let code: number = grpc.status.OK;
        call.on("error", (err: { code?: number }) => {
          code = err.code ?? grpc.status.UNKNOWN;
        });
        call.on("cancelled", () => {
          code = grpc.status.CANCELLED;
        });
        implementation()
          .then((impl) => (impl[name] as (c: typeof call) => Promise<void>)(call))
          .catch((err: unknown) => call.emit("error", unavailable(err)))
          .finally(() => ended(method, call, client, started, code));
      };
    } else {
      wrapped[name] = (
        call: grpc.ServerUnaryCall<unknown, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        const started = performance.now();
        const { client, refusal } = admit(call, method);
        if (refusal) {
          callback(refusal, null);
          return;
        }
        const answer: grpc.sendUnaryData<unknown> = (err, value) => {
          ended(method, call, client, started, err ? (err.code ?? grpc.status.UNKNOWN) : grpc.status.OK);
          callback(err, value);
        };
        implementation().then(
          (impl) => (impl[name] as (c: typeof call, cb: typeof answer) => void)(call, answer),
          (err: unknown) => answer(unavailable(err), null),
        );
      };
    }
  }

  const server = new grpc.Server({
    "grpc.max_receive_message_length": options.maxMessageBytes,
    "grpc.max_concurrent_streams": 100,
  });
  server.addService(A2AService, wrapped);
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  return {
    inject(socket: Duplex) {
      injector.injectConnection(socket);
    },
    async close(graceMs: number) {
      if (graceMs > 0) {
        injector.drain(graceMs);
        await new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      }
      injector.destroy();
      server.forceShutdown();
    },
  };
}
