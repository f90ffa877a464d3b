import { describe, expect, it } from "vitest";
import type { Wire } from "../src/index.js";
import { userMessage, useSut } from "./sut.js";

const sut = useSut();

const rpcCode = (body: Wire) => body?.error?.code;

describe("JSON-RPC 2.0 binding errors (spec 1.0.1 §9.5, JSON-RPC 2.0 §5.1)", () => {
  it("invalid JSON is -32700 Parse error with id null", async () => {
    const res = await sut.client.rpcRaw("{not json");
    expect(rpcCode(res.body)).toBe(-32700);
    expect(res.body).toMatchObject({ jsonrpc: "2.0", id: null });
  });

  it("a body that is not a Request object is -32600 Invalid Request", async () => {
    for (const body of [
      "[]",
      '"text"',
      '{"jsonrpc":"1.0","id":1,"method":"GetTask"}',
      '{"jsonrpc":"2.0","id":1}',
    ]) {
      const res = await sut.client.rpcRaw(body);
      expect(rpcCode(res.body), body).toBe(-32600);
    }
  });

  it("an unknown method is -32601 Method not found, echoing the request id", async () => {
    const res = await sut.client.rpcRaw(
      JSON.stringify({ jsonrpc: "2.0", id: "abc", method: "NoSuchMethod", params: {} }),
    );
    expect(rpcCode(res.body)).toBe(-32601);
    expect(res.body.id).toBe("abc");
  });

  it("bad params are -32602 Invalid params (missing message, message without messageId)", async () => {
    expect(rpcCode((await sut.client.rpc("SendMessage", {})).body)).toBe(-32602);
    const noId = await sut.client.rpc("SendMessage", {
      message: { role: "ROLE_USER", parts: [{ text: "x" }] },
    });
    expect(rpcCode(noId.body)).toBe(-32602);
    expect(noId.body.error.message).toMatch(/messageId/);
  });

  it("A2A errors carry google.rpc.ErrorInfo in error.data (array, domain a2a-protocol.org)", async () => {
    const res = await sut.client.rpc("GetTask", { id: "no-such-task-id" });
    expect(res.body.error.data).toEqual([
      expect.objectContaining({
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "TASK_NOT_FOUND",
        domain: "a2a-protocol.org",
      }),
    ]);
  });
});

describe("HTTP+JSON binding errors (spec 1.0.1 §11.6: google.rpc.Status / AIP-193 bodies)", () => {
  it("invalid JSON and missing fields are HTTP 400 INVALID_ARGUMENT", async () => {
    const bad = await sut.client.rest("POST", "/message:send", "{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    const empty = await sut.client.rest("POST", "/message:send", {});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    expect(empty.body.error.message).toMatch(/message/);
  });

  it("an unknown task is HTTP 404 NOT_FOUND with ErrorInfo TASK_NOT_FOUND in details", async () => {
    const res = await sut.client.rest("GET", "/tasks/no-such-task-id");
    expect(res.status).toBe(404);
    expect(res.body.error.details[0]).toMatchObject({ reason: "TASK_NOT_FOUND", domain: "a2a-protocol.org" });
  });

  it("responses are application/json or application/a2a+json (§11.2, v1.0.1 #1753)", async () => {
    const res = await sut.client.rest("POST", "/message:send", { message: userMessage("tck-complete-task") });
    expect(res.headers.get("content-type")).toMatch(/^application\/(a2a\+)?json/);
  });

  it("a request body over the limit is refused with 413 on both bindings", async () => {
    const huge = "x".repeat(2 * 1024 * 1024);
    const rest = await sut.client.rest("POST", "/message:send", {
      message: userMessage("tck-complete-task", huge),
    });
    expect(rest.status).toBe(413);
    const rpc = await sut.client.rpc("SendMessage", { message: userMessage("tck-complete-task", huge) });
    expect(rpc.status).toBe(413);
    expect(rpcCode(rpc.body)).toBe(-32600);
  });
});

describe("SSE framing (§9.4.2 / §11.7: text/event-stream, one JSON payload per event)", () => {
  it("each event is data: lines terminated by a blank line, in order, and the stream closes after the terminal event", async () => {
    const res = await fetch(sut.client.options.jsonRpcUrl, {
      method: "POST",
      headers: sut.client.headers({ accept: "text/event-stream" }),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "SendStreamingMessage",
        params: { message: userMessage("tck-stream-001") },
      }),
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("cache-control") ?? "").toMatch(/no-cache/);
    const text = await res.text();
    const blocks = text.split("\n\n").filter((b) => b.trim() && !b.startsWith(":"));
    expect(blocks).toHaveLength(4);
    for (const block of blocks) {
      const lines = block.split("\n").filter((l) => !l.startsWith(":"));
      expect(lines.every((l) => l.startsWith("data:") || l.startsWith("event:") || l.startsWith("id:"))).toBe(
        true,
      );
      const data = lines
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trim())
        .join("\n");
      expect(JSON.parse(data)).toMatchObject({ jsonrpc: "2.0", id: 7 });
    }
  });
});
