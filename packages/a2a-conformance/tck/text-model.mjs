// A stand-in OpenAI-compatible model for `run-tck.sh` with TCK_SERVE=plain: plain `codetether serve` needs a
// model, the TCK only needs tasks that complete. Every chat completion (streamed or not) answers one short text
// and no tool call; GET /v1/models lists the requested ids. Binds 127.0.0.1 only, prints its base URL (ending
// in /v1) on stdout and runs until SIGTERM/SIGINT. No dependencies: the script runs without the TCK's Python.
//
//   node text-model.mjs [--port N]
import { createServer } from "node:http";

const TEXT = "Done: this is the TCK text model's answer.";
const args = process.argv.slice(2);
const portArg = args.indexOf("--port");
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`text-model: --port ${args[portArg + 1]} is not a port number (0-65535).\n`);
  process.exit(2);
}

let counter = 0;
const seenModels = new Set(["tck-text-model"]);

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function completion(model, stream, includeUsage) {
  counter += 1;
  const id = `chatcmpl-tck-${counter}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 10, completion_tokens: 9, total_tokens: 19 };
  if (!stream) {
    return {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [
        { index: 0, message: { role: "assistant", content: TEXT }, logprobs: null, finish_reason: "stop" },
      ],
      usage,
    };
  }
  const chunk = (delta, finish) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const events = [
    chunk({ role: "assistant", content: "" }, null),
    chunk({ content: TEXT }, null),
    chunk({}, "stop"),
  ];
  if (includeUsage) events.push({ id, object: "chat.completion.chunk", created, model, choices: [], usage });
  return events;
}

const server = createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "GET" && path === "/v1/models") {
    send(res, 200, {
      object: "list",
      data: [...seenModels].map((id) => ({ id, object: "model", created: 0, owned_by: "tck" })),
    });
    return;
  }
  if (req.method !== "POST" || path !== "/v1/chat/completions") {
    send(res, 404, { error: { message: `No route ${req.method} ${path}`, type: "invalid_request_error" } });
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      send(res, 400, { error: { message: "The body is not JSON.", type: "invalid_request_error" } });
      return;
    }
    const model = typeof body.model === "string" ? body.model : "tck-text-model";
    seenModels.add(model);
    if (!body.stream) {
      send(res, 200, completion(model, false, false));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (const event of completion(model, true, body.stream_options?.include_usage === true)) {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  });
});

server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}/v1\n`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
