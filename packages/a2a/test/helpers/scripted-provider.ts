import {
  type ChatRequest,
  messageText,
  type Provider,
  ProviderError,
  type StreamChunk,
  sleep,
} from "@codetether/core";

/** Behaviour chosen by the last user text, so tests drive the agent from the A2A message. */
export function scriptedProvider(): Provider & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    id: "scripted",
    requests,
    async listModels() {
      return [];
    },
    async *stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamChunk> {
      requests.push(request);
      const last = request.messages[request.messages.length - 1];
      const lastUser = [...request.messages].reverse().find((m) => m.role === "user");
      const prompt = lastUser ? messageText(lastUser) : "";
      if (last?.role === "tool") {
        const result = last.content.find((p) => p.type === "tool_result");
        yield {
          type: "text-delta",
          text: `tool said: ${result?.type === "tool_result" ? result.content : ""}`,
        };
        yield { type: "finish", reason: "stop" };
        return;
      }
      if (prompt.includes("slow")) {
        yield { type: "text-delta", text: "working..." };
        await sleep(60_000, signal);
      }
      if (prompt.includes("fail"))
        throw new ProviderError("the model exploded", { provider: "scripted", kind: "bad_request" });
      if (prompt.includes("ask")) {
        yield { type: "tool-call-start", id: "q1", name: "question" };
        yield { type: "tool-call-delta", id: "q1", argumentsDelta: '{"question":"Which color?"}' };
        yield { type: "tool-call-end", id: "q1" };
        yield { type: "finish", reason: "tool_calls" };
        return;
      }
      if (prompt.includes("write")) {
        yield { type: "tool-call-start", id: "w1", name: "write" };
        yield { type: "tool-call-delta", id: "w1", argumentsDelta: '{"path":"a.txt","content":"hi"}' };
        yield { type: "tool-call-end", id: "w1" };
        yield { type: "finish", reason: "tool_calls" };
        return;
      }
      yield { type: "text-delta", text: "Hello " };
      yield { type: "text-delta", text: "from codetether" };
      yield {
        type: "usage",
        usage: { promptTokens: 10, completionTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0 },
      };
      yield { type: "finish", reason: "stop" };
    },
  };
}
