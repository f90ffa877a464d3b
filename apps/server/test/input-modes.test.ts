import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, echoProvider, start } from "./helpers.js";

// Plain `serve` (the model-backed executor): the card's input modes are what it accepts, and nothing else.
const provider = echoProvider();
let server: Awaited<ReturnType<typeof start>>;
beforeAll(async () => {
  server = await start({ provider });
});
afterAll(async () => {
  await server.close();
});

const headers = { ...auth, "content-type": "application/json", "a2a-version": "1.0" };
const message = (parts: unknown[]) => ({ messageId: randomUUID(), role: "ROLE_USER", parts });

async function rpc(parts: unknown[]) {
  const res = await fetch(`${server.url}/a2a`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "SendMessage",
      params: { message: message(parts), configuration: { returnImmediately: false } },
    }),
  });
  return (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
}

const PNG_1PX =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("plain serve enforces the input modes its card declares", () => {
  it("the card lists what the model-backed executor takes", async () => {
    const card = (await (await fetch(`${server.url}/.well-known/agent-card.json`, { headers })).json()) as {
      defaultInputModes: string[];
    };
    expect(card.defaultInputModes).toEqual(
      expect.arrayContaining(["text/plain", "application/json", "image/png", "image/jpeg"]),
    );
    expect(card.defaultInputModes).not.toContain("application/x-unsupported-type");
  });

  it("a part of an undeclared media type is ContentTypeNotSupported (-32005) and never reaches the model", async () => {
    const before = provider.requests.length;
    const res = await rpc([
      { text: "look at this" },
      { raw: Buffer.from("%PDF-1.4").toString("base64"), mediaType: "application/x-unsupported-type" },
    ]);
    expect(res.error?.code).toBe(-32005);
    expect(res.error?.message).toContain('Part 1 has media type "application/x-unsupported-type"');
    expect(provider.requests.length).toBe(before);
  });

  it("HTTP+JSON answers 400 with reason CONTENT_TYPE_NOT_SUPPORTED", async () => {
    const res = await fetch(`${server.url}/a2a/rest/message:send`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        message: message([{ url: "https://example.org/a.zip", mediaType: "application/zip" }]),
      }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("CONTENT_TYPE_NOT_SUPPORTED");
  });

  it("declared types go through: text, JSON data and an image", async () => {
    const before = provider.requests.length;
    const res = await rpc([
      { text: "describe" },
      { data: { a: 1 }, mediaType: "application/json" },
      { raw: PNG_1PX, mediaType: "image/png", filename: "dot.png" },
    ]);
    expect(res.error).toBeUndefined();
    expect(provider.requests.length).toBe(before + 1);
    const last = JSON.stringify(provider.requests.at(-1)?.messages);
    expect(last).toContain("image/png");
  });
});
