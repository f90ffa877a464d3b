// A third-party codetether provider. codetether imports this package when config has
//   [providers.myprov]
//   module = "my-provider-package"
// and calls createProvider({ id: "myprov", config: <that table>, env }). The returned object implements the
// Provider interface of @codetether/core: listModels() and stream(request, signal) yielding StreamChunks.
// This one echoes the prompt; a real one would call its vendor's API (and throw ProviderError on failures).

export function createProvider({ id, config }) {
  const greeting = config.headers?.["x-greeting"] ?? "echo";
  return {
    id,
    async listModels() {
      return [
        { id: "my-model", provider: id, contextWindow: 8192, maxOutputTokens: 1024, supportsTools: false },
      ];
    },
    async *stream(request, signal) {
      const lastUser = request.messages.findLast((m) => m.role === "user");
      const prompt = lastUser.content
        .filter((p) => p.type === "text")
        .map((p) => p.text)
        .join("");
      for (const word of `${greeting} from ${id}/${request.model}: ${prompt}`.split(/(?= )/)) {
        if (signal?.aborted) throw signal.reason;
        yield { type: "text-delta", text: word };
      }
      yield {
        type: "usage",
        usage: { promptTokens: prompt.length, completionTokens: 8, cacheReadTokens: 0, cacheWriteTokens: 0 },
      };
      yield { type: "finish", reason: "stop" };
    },
  };
}
