// gRPC side of the A2A bench: a client of `lf.a2a.v1.A2AService` built from the SDK's own service definition,
// and a bare grpc-js unary echo server as the baseline. Both come from @codetether/a2a's dependencies.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { root } from "./paths.mjs";

const require = createRequire(path.join(root, "packages/a2a/package.json"));
const grpc = require("@grpc/grpc-js");
const { A2AService } = require("@a2a-js/sdk/server/grpc");

const ROLE_USER = 1;
const TASK_STATE_COMPLETED = 3;

function sendRequest(i) {
  return {
    tenant: "",
    message: {
      messageId: randomUUID(),
      contextId: randomUUID(),
      taskId: "",
      role: ROLE_USER,
      parts: [
        { content: { $case: "text", value: `ping ${i}` }, metadata: undefined, filename: "", mediaType: "" },
      ],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: undefined,
    metadata: undefined,
  };
}

/** A unary caller of A2A SendMessage over gRPC (one channel, calls multiplexed like the HTTP keep-alive agent). */
export function a2aGrpcClient(address, token) {
  const Client = grpc.makeGenericClientConstructor(A2AService, "A2AService");
  const client = new Client(address, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  metadata.set("a2a-version", "1.0");
  return {
    call: (i) =>
      new Promise((resolve, reject) =>
        client.sendMessage(sendRequest(i), metadata, (err, res) => {
          if (err) return reject(err);
          if (res.payload?.value?.status?.state !== TASK_STATE_COMPLETED)
            return reject(
              new Error(`SendMessage over gRPC did not complete: ${JSON.stringify(res).slice(0, 300)}`),
            );
          resolve(res);
        }),
      ),
    close: () => client.close(),
  };
}

const echoService = {
  echo: {
    path: "/bench.Echo/Echo",
    requestStream: false,
    responseStream: false,
    requestSerialize: (v) => Buffer.from(JSON.stringify(v)),
    requestDeserialize: (b) => JSON.parse(b.toString("utf8")),
    responseSerialize: (v) => Buffer.from(JSON.stringify(v)),
    responseDeserialize: (b) => JSON.parse(b.toString("utf8")),
  },
};

/** A bare grpc-js server echoing the request (JSON-serialized), and a client for it. */
export async function startGrpcEcho() {
  const server = new grpc.Server();
  server.addService(echoService, { echo: (call, callback) => callback(null, { echo: call.request }) });
  const port = await new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const Client = grpc.makeGenericClientConstructor(echoService, "Echo");
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    call: (i) =>
      new Promise((resolve, reject) =>
        client.echo({ ping: i, id: randomUUID() }, (err, res) =>
          err
            ? reject(err)
            : res?.echo
              ? resolve(res)
              : reject(new Error("echo server answered without the echo")),
        ),
      ),
    close: async () => {
      client.close();
      await new Promise((resolve) => server.tryShutdown(resolve));
    },
  };
}

export async function grpcLatencies(call, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call(i);
    out.push(performance.now() - t);
  }
  return out;
}

export async function grpcThroughput(call, total, concurrency) {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await call(next++);
    }),
  );
  return (total / (performance.now() - t)) * 1000;
}
