import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedOpenAI, type ScriptedTurn, startScriptedOpenAI } from "../src/openai/index.js";

let server: ScriptedOpenAI | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(script: ScriptedTurn[], apiKey?: string) {
  server = await startScriptedOpenAI(script, apiKey ? { apiKey } : {});
  return new OpenAI({ baseURL: server.url, apiKey: apiKey ?? "sk-test", maxRetries: 0 });
}

const ask = { model: "gpt-test", messages: [{ role: "user" as const, content: "hi" }] };

describe("startScriptedOpenAI with the real openai SDK", () => {
  it("streams text over several chunks with role first, finish reason, usage and [DONE]", async () => {
    const client = await start([
      { text: "Hello there, world!", usage: { prompt_tokens: 7, completion_tokens: 3, cached_tokens: 2 } },
    ]);
    const stream = await client.chat.completions.create({
      ...ask,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    const texts = chunks.map((c) => c.choices[0]?.delta.content ?? "").filter(Boolean);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join("")).toBe("Hello there, world!");
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe("stop");
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(last?.usage?.prompt_tokens_details?.cached_tokens).toBe(2);
    expect(server?.requests[0]?.body).toMatchObject({ model: "gpt-test", stream: true });
    expect(server?.requests[0]?.headers.authorization).toBe("Bearer sk-test");
  });

  it("sends no usage chunk unless include_usage is set", async () => {
    const client = await start([{ text: "ok" }]);
    const chunks = [];
    for await (const chunk of await client.chat.completions.create({ ...ask, stream: true }))
      chunks.push(chunk);
    expect(chunks.every((c) => c.usage === undefined)).toBe(true);
  });

  it("streams parallel tool calls with index/id/name first and arguments split across chunks", async () => {
    const client = await start([
      {
        toolCalls: [
          { id: "call_a", name: "read", arguments: { path: "a.txt" } },
          { name: "write", arguments: '{"path":"b.txt","content":"x"}' },
        ],
        interleaveToolCalls: true,
      },
    ]);
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    const calls = new Map<number, { id?: string; name?: string; args: string; fragments: number }>();
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.finish_reason) finish = choice.finish_reason;
      for (const delta of choice?.delta.tool_calls ?? []) {
        const entry = calls.get(delta.index) ?? { args: "", fragments: 0 };
        if (delta.id) {
          expect(entry.id).toBeUndefined();
          entry.id = delta.id;
          entry.name = delta.function?.name;
        } else {
          expect(entry.id).toBeDefined();
          entry.fragments++;
        }
        entry.args += delta.function?.arguments ?? "";
        calls.set(delta.index, entry);
      }
    }
    expect(finish).toBe("tool_calls");
    expect(calls.get(0)).toMatchObject({ id: "call_a", name: "read", args: '{"path":"a.txt"}' });
    expect(calls.get(1)).toMatchObject({
      id: "call_0_1",
      name: "write",
      args: '{"path":"b.txt","content":"x"}',
    });
    expect(calls.get(0)?.fragments).toBeGreaterThan(1);
    expect(calls.get(1)?.fragments).toBeGreaterThan(1);
  });

  it("the SDK's stream helper reassembles tool calls and reasoning into a final completion", async () => {
    const client = await start([
      { reasoning: "think", toolCalls: [{ name: "glob", arguments: { pattern: "**/*.ts" } }] },
    ]);
    const runner = client.chat.completions.stream({ ...ask, stream: true });
    const final = await runner.finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(message?.tool_calls?.[0]).toMatchObject({
      type: "function",
      function: { name: "glob", arguments: '{"pattern":"**/*.ts"}' },
    });
  });

  it("answers non-streaming requests with a chat.completion object", async () => {
    const client = await start([{ text: "plain", toolCalls: [{ name: "ls" }] }]);
    const completion = await client.chat.completions.create(ask);
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message).toMatchObject({ role: "assistant", content: "plain" });
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: "ls", arguments: "{}" },
    });
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("turns can be functions of the request", async () => {
    const client = await start([
      (req) => ({
        text: `you said ${(req.body as { messages: Array<{ content: string }> }).messages[0]?.content}`,
      }),
      () => {
        throw new Error("unexpected request");
      },
    ]);
    const first = await client.chat.completions.create(ask);
    expect(first.choices[0]?.message.content).toBe("you said hi");
    await expect(client.chat.completions.create(ask)).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining("turn #2 threw: unexpected request"),
    });
  });

  it("serves 401, 429 with Retry-After and 500 faults as the SDK's typed errors", async () => {
    const client = await start([
      { type: "error", status: 401 },
      { type: "error", status: 429, headers: { "retry-after": "7" } },
      { type: "error", status: 500, body: { error: { message: "boom" } } },
    ]);
    await expect(client.chat.completions.create(ask)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const limited = await client.chat.completions.create(ask).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("7");
    await expect(client.chat.completions.create(ask)).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining("boom"),
    });
  });

  it("fails clearly when the script runs out", async () => {
    const client = await start([{ text: "only one" }]);
    await client.chat.completions.create(ask);
    await expect(client.chat.completions.create(ask)).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining(
        "script exhausted: request #2 has no scripted turn (the script has 1 turns)",
      ),
    });
    expect(server?.remaining()).toBe(0);
  });

  it("cuts the connection mid-stream", async () => {
    const client = await start([
      { type: "disconnect", response: { text: "one two three four" }, afterEvents: 2 },
    ]);
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? "");
      })(),
    ).rejects.toThrow();
    expect(seen.join("")).toBe("one");
  });

  it("hangs until the client gives up, and close() drops the hanging connection", async () => {
    const client = await start([{ type: "hang" }]);
    const controller = new AbortController();
    const pending = client.chat.completions.create(ask, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(server?.requests).toHaveLength(1);
  });

  it("checks the API key when one is configured, without consuming a turn", async () => {
    const client = await start([{ text: "ok" }], "sk-right");
    const wrong = new OpenAI({ baseURL: server?.url, apiKey: "sk-wrong", maxRetries: 0 });
    await expect(wrong.chat.completions.create(ask)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const ok = await client.chat.completions.create(ask);
    expect(ok.choices[0]?.message.content).toBe("ok");
  });

  it("lists models and rejects unknown routes and malformed JSON", async () => {
    const client = await start([]);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain("scripted-model");
    const notFound = await fetch(`${server?.url}/embeddings`, { method: "POST", body: "{}" });
    expect(notFound.status).toBe(404);
    const bad = await fetch(`${server?.url}/chat/completions`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/parse the JSON/);
    expect(server?.requests).toHaveLength(0);
  });

  it("answers 413 to oversized bodies without consuming a turn", async () => {
    server = await startScriptedOpenAI([{ text: "ok" }], { maxBodyBytes: 1000 });
    const res = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x".repeat(5000) }] }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      "larger than 1000 bytes",
    );
    expect(server.remaining()).toBe(1);
  });
});
