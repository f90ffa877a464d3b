/** One scripted answer of the fake Gemini server, consumed in order per request. */
export type GeminiScriptedReply = GeminiScriptedResponse | GeminiScriptedError;

export interface GeminiScriptedResponse {
  kind?: "response";
  /** Thought summary text (`thought: true` parts), streamed first. */
  thought?: string;
  /** Text, split into `chunkSize`-character chunks (one SSE event each). */
  text?: string;
  /** Gemini sends each function call whole, in one part. */
  functionCalls?: { id?: string; name: string; args: Record<string, unknown>; thoughtSignature?: string }[];
  usage?: { prompt?: number; candidates?: number; cached?: number; thoughts?: number };
  finishReason?: "STOP" | "MAX_TOKENS" | "SAFETY" | "MALFORMED_FUNCTION_CALL" | "OTHER";
  /** Characters per text chunk. Default 4. */
  chunkSize?: number;
  /** Closes the socket after this many SSE events (before the final one). */
  disconnectAfterEvents?: number;
}

export interface GeminiScriptedError {
  kind: "error";
  status: number;
  message?: string;
  /** `Retry-After` header value. */
  retryAfter?: string;
  /** `google.rpc.RetryInfo` retryDelay in the error body, e.g. `"7s"` (what Gemini really sends on 429). */
  retryDelay?: string;
}

export interface RecordedGeminiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

/** A Google API error body (`google.rpc.Status` JSON mapping). */
export function geminiErrorBody(
  status: number,
  message: string,
  details: Record<string, unknown>[] = [],
): { error: { code: number; message: string; status: string; details?: Record<string, unknown>[] } } {
  return {
    error: {
      code: status,
      message,
      status: STATUS_NAMES[status] ?? (status >= 500 ? "INTERNAL" : "UNKNOWN"),
      ...(details.length ? { details } : {}),
    },
  };
}

/** The `streamGenerateContent?alt=sse` chunks (GenerateContentResponse JSON) for a scripted response. */
export function geminiChunks(reply: GeminiScriptedResponse, model: string): Record<string, unknown>[] {
  const size = Math.max(1, reply.chunkSize ?? 4);
  const usage = reply.usage ?? {};
  const responseId = `fake-${Date.now().toString(36)}`;
  const parts: Record<string, unknown>[][] = [];
  if (reply.thought) parts.push([{ text: reply.thought, thought: true }]);
  const text = reply.text ?? "";
  for (let i = 0; i < text.length; i += size) parts.push([{ text: text.slice(i, i + size) }]);
  if (reply.functionCalls?.length) {
    parts.push(
      reply.functionCalls.map((c) => ({
        functionCall: { ...(c.id ? { id: c.id } : {}), name: c.name, args: c.args },
        ...(c.thoughtSignature ? { thoughtSignature: c.thoughtSignature } : {}),
      })),
    );
  }
  if (parts.length === 0) parts.push([{ text: "" }]);
  const prompt = usage.prompt ?? 0;
  return parts.map((p, i) => {
    const last = i === parts.length - 1;
    const candidates = last ? (usage.candidates ?? 0) : undefined;
    return {
      candidates: [
        {
          content: { parts: p, role: "model" },
          index: 0,
          ...(last ? { finishReason: reply.finishReason ?? "STOP" } : {}),
        },
      ],
      usageMetadata: {
        promptTokenCount: prompt,
        ...(candidates !== undefined ? { candidatesTokenCount: candidates } : {}),
        ...(usage.cached ? { cachedContentTokenCount: usage.cached } : {}),
        ...(last && usage.thoughts ? { thoughtsTokenCount: usage.thoughts } : {}),
        totalTokenCount: prompt + (candidates ?? 0) + (last ? (usage.thoughts ?? 0) : 0),
      },
      modelVersion: model,
      responseId,
    };
  });
}
