// `@codetether/a2a/grpc`: the A2A gRPC binding. This entry loads only `node:net`; `@grpc/grpc-js` and the
// SDK's protobuf code load with the first gRPC connection (see server/grpc/grpc-listener.ts).

export type { GrpcAuthDecision, GrpcCallRecord, GrpcGate } from "./server/grpc/grpc-gate.js";
export {
  type A2AGrpcListener,
  type A2AGrpcListenerOptions,
  listenA2AGrpc,
} from "./server/grpc/grpc-listener.js";
