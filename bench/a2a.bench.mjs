// A2A `SendMessage` (blocking) on loopback against `@codetether/server` with an instant agent (the conformance
// executor echoes and completes), on all three bindings of the same server in the same run, interleaved: JSON-RPC
// and HTTP+JSON (`POST /a2a/rest/message:send`) vs a bare Node HTTP server that parses the JSON body and echoes
// it, and gRPC vs a bare grpc-js unary echo server. Latency: sequential requests (p50/p99). Throughput: 16
// concurrent keep-alive clients (gRPC: 16 calls in flight on one channel).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { a2aGrpcClient, grpcLatencies, grpcThroughput, startGrpcEcho } from "./lib/a2a-grpc.mjs";
import { distUrl } from "./lib/paths.mjs";
import { ratio, summarize } from "./lib/stats.mjs";

const TOKEN = "bench-token-0123456789abcdef";
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(data),
          authorization: `Bearer ${TOKEN}`,
          "a2a-version": "1.0",
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text))
            : reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

function sendMessage(i) {
  return {
    jsonrpc: "2.0",
    id: i,
    method: "SendMessage",
    params: {
      message: {
        messageId: randomUUID(),
        contextId: randomUUID(),
        role: "ROLE_USER",
        parts: [{ text: `ping ${i}` }],
      },
    },
  };
}

/** The same message as an HTTP+JSON SendMessage body. */
function restSendMessage(i) {
  return { message: sendMessage(i).params.message };
}

function startEcho() {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const msg = JSON.parse(body);
      const out = JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { echo: msg.params ?? msg } });
      res.writeHead(200, { "content-type": "application/json" }).end(out);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/a2a`,
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

async function latencies(url, n, check, body = sendMessage) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    check(await post(url, body(i)));
    out.push(performance.now() - t);
  }
  return out;
}

async function throughput(url, total, concurrency, check, body = sendMessage) {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) check(await post(url, body(next++)));
    }),
  );
  return (total / (performance.now() - t)) * 1000;
}

const checkA2A = (res) => {
  const state = res.result?.task?.status?.state;
  if (state !== "TASK_STATE_COMPLETED")
    throw new Error(`SendMessage did not complete: ${JSON.stringify(res).slice(0, 300)}`);
};
const checkRest = (res) => {
  const state = res.task?.status?.state;
  if (state !== "TASK_STATE_COMPLETED")
    throw new Error(`HTTP+JSON SendMessage did not complete: ${JSON.stringify(res).slice(0, 300)}`);
};
const checkEcho = (res) => {
  if (!res.result?.echo) throw new Error("echo server answered without the echo");
};

export async function run({ quick }) {
  const { startServer } = await import(distUrl("apps/server"));
  const { ConformanceExecutor } = await import(distUrl("packages/a2a"));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ct-bench-a2a-"));
  const server = await startServer({
    port: 0,
    dataDir: work,
    cwd: work,
    token: TOKEN,
    executor: new ConformanceExecutor(),
  });
  const echo = await startEcho();
  const grpcEcho = await startGrpcEcho();
  const grpcA2A = a2aGrpcClient(server.grpcUrl, TOKEN);
  const n = quick ? 30 : 500;
  const total = quick ? 100 : 2000;
  const rounds = quick ? 1 : 3;
  try {
    const a2aUrl = `${server.url}/a2a`;
    const restUrl = `${server.url}/a2a/rest/message:send`;
    await latencies(a2aUrl, 10, checkA2A); // warm-up (JIT, sockets)
    await latencies(restUrl, 10, checkRest, restSendMessage);
    await latencies(echo.url, 10, checkEcho);
    await grpcLatencies(grpcA2A.call, 10);
    await grpcLatencies(grpcEcho.call, 10);
    const lat = { a2a: [], rest: [], echo: [], grpc: [], grpcEcho: [] };
    const tput = { a2a: [], rest: [], echo: [], grpc: [], grpcEcho: [] };
    for (let r = 0; r < rounds; r++) {
      lat.echo.push(...(await latencies(echo.url, n, checkEcho)));
      lat.a2a.push(...(await latencies(a2aUrl, n, checkA2A)));
      tput.echo.push(await throughput(echo.url, total, 16, checkEcho));
      tput.a2a.push(await throughput(a2aUrl, total, 16, checkA2A));
      lat.rest.push(...(await latencies(restUrl, n, checkRest, restSendMessage)));
      tput.rest.push(await throughput(restUrl, total, 16, checkRest, restSendMessage));
      lat.grpcEcho.push(...(await grpcLatencies(grpcEcho.call, n)));
      lat.grpc.push(...(await grpcLatencies(grpcA2A.call, n)));
      tput.grpcEcho.push(await grpcThroughput(grpcEcho.call, total, 16));
      tput.grpc.push(await grpcThroughput(grpcA2A.call, total, 16));
    }
    const lg = summarize(lat.grpc);
    const lge = summarize(lat.grpcEcho);
    const tg = summarize(tput.grpc);
    const tge = summarize(tput.grpcEcho);
    const la = summarize(lat.a2a);
    const le = summarize(lat.echo);
    const p99 = (s) => ({ ...s, median: s.p99 });
    const ta = summarize(tput.a2a);
    const te = summarize(tput.echo);
    const lr = summarize(lat.rest);
    const tr = summarize(tput.rest);
    return {
      rows: [
        {
          metric: "A2A SendMessage latency p50",
          unit: "ms",
          subject: la,
          baseline: le,
          baselineName: "node:http JSON echo",
          ratio: ratio(la, le),
        },
        {
          metric: "A2A SendMessage latency p99",
          unit: "ms",
          subject: p99(la),
          baseline: p99(le),
          baselineName: "node:http JSON echo",
          ratio: ratio(p99(la), p99(le)),
        },
        {
          metric: "A2A SendMessage throughput (16 clients)",
          unit: " req/s",
          subject: ta,
          baseline: te,
          baselineName: "node:http JSON echo",
          ratio: ratio(ta, te),
        },
        {
          metric: "A2A SendMessage over HTTP+JSON latency p50",
          unit: "ms",
          subject: lr,
          baseline: le,
          baselineName: "node:http JSON echo",
          ratio: ratio(lr, le),
        },
        {
          metric: "A2A SendMessage over HTTP+JSON latency p99",
          unit: "ms",
          subject: p99(lr),
          baseline: p99(le),
          baselineName: "node:http JSON echo",
          ratio: ratio(p99(lr), p99(le)),
        },
        {
          metric: "A2A SendMessage over HTTP+JSON throughput (16 clients)",
          unit: " req/s",
          subject: tr,
          baseline: te,
          baselineName: "node:http JSON echo",
          ratio: ratio(tr, te),
        },
        {
          metric: "A2A SendMessage over gRPC latency p50",
          unit: "ms",
          subject: lg,
          baseline: lge,
          baselineName: "grpc-js unary echo",
          ratio: ratio(lg, lge),
        },
        {
          metric: "A2A SendMessage over gRPC latency p99",
          unit: "ms",
          subject: p99(lg),
          baseline: p99(lge),
          baselineName: "grpc-js unary echo",
          ratio: ratio(p99(lg), p99(lge)),
        },
        {
          metric: "A2A SendMessage over gRPC throughput (16 in flight)",
          unit: " req/s",
          subject: tg,
          baseline: tge,
          baselineName: "grpc-js unary echo",
          ratio: ratio(tg, tge),
        },
        {
          metric: "A2A SendMessage latency p50, gRPC vs JSON-RPC (same server)",
          unit: "ms",
          subject: lg,
          baseline: la,
          baselineName: "A2A over JSON-RPC",
          ratio: ratio(lg, la),
        },
        {
          metric: "A2A SendMessage latency p50, HTTP+JSON vs JSON-RPC (same server)",
          unit: "ms",
          subject: lr,
          baseline: la,
          baselineName: "A2A over JSON-RPC",
          ratio: ratio(lr, la),
        },
      ],
    };
  } finally {
    await echo.close();
    grpcA2A.close();
    await grpcEcho.close();
    await server.close();
    agent.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
