import { z } from "zod";

/** A tool call the scripted model makes. `arguments` is sent verbatim when a string, JSON-encoded otherwise. */
export const ScriptedToolCallSchema = z.object({
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).default({}),
});

export const ScriptedUsageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  cached_tokens: z.number().int().nonnegative().optional(),
  reasoning_tokens: z.number().int().nonnegative().optional(),
});

/** A model answer, streamed as SSE (or returned as JSON when the request has `stream: false`). */
export const ScriptedResponseSchema = z.object({
  type: z.literal("response").optional(),
  text: z.string().optional(),
  /** Streamed as `delta.reasoning_content` (Moonshot, DeepSeek, Z.ai). */
  reasoning: z.string().optional(),
  toolCalls: z.array(ScriptedToolCallSchema).optional(),
  /** Defaults to a count derived from the request and answer sizes. */
  usage: ScriptedUsageSchema.optional(),
  /** Defaults to `tool_calls` when there are tool calls, else `stop`. */
  finishReason: z.enum(["stop", "length", "tool_calls", "content_filter"]).optional(),
  /** Characters per text/argument chunk; by default text is split per word and arguments every 5 characters. */
  chunkSize: z.number().int().positive().optional(),
  /** Pause between SSE events, to test aborts mid-stream. */
  delayMs: z.number().int().nonnegative().optional(),
  /** Interleave the argument fragments of parallel tool calls (real APIs stream them one after the other). */
  interleaveToolCalls: z.boolean().optional(),
  /** Model id reported in the chunks (default: the requested model). */
  model: z.string().optional(),
});

/** An HTTP error answer, e.g. 401, 429 with `Retry-After`, 500. The body defaults to an OpenAI-style error. */
export const ScriptedHttpErrorSchema = z.object({
  type: z.literal("error"),
  status: z.number().int().min(400).max(599),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** Accepts the request and never answers (until the server closes). */
export const ScriptedHangSchema = z.object({ type: z.literal("hang") });

/** Streams the first `afterEvents` SSE events of `response`, then destroys the connection. */
export const ScriptedDisconnectSchema = z.object({
  type: z.literal("disconnect"),
  response: ScriptedResponseSchema.optional(),
  afterEvents: z.number().int().nonnegative().optional(),
});

export const ScriptedTurnDataSchema = z.union([
  ScriptedHttpErrorSchema,
  ScriptedHangSchema,
  ScriptedDisconnectSchema,
  ScriptedResponseSchema,
]);

/** A script file for the standalone server: a list of turns, or `{ turns, models }`. */
export const ScriptFileSchema = z.union([
  z.array(ScriptedTurnDataSchema),
  z.object({
    turns: z.array(ScriptedTurnDataSchema),
    models: z.array(z.string().min(1)).optional(),
    apiKey: z.string().optional(),
  }),
]);

export type ScriptedToolCall = z.input<typeof ScriptedToolCallSchema>;
export type ScriptedUsage = z.infer<typeof ScriptedUsageSchema>;
export type ScriptedResponse = z.input<typeof ScriptedResponseSchema>;
export type ScriptedHttpError = z.input<typeof ScriptedHttpErrorSchema>;
export type ScriptedHang = z.infer<typeof ScriptedHangSchema>;
export type ScriptedDisconnect = z.input<typeof ScriptedDisconnectSchema>;
export type ScriptedTurnData = ScriptedResponse | ScriptedHttpError | ScriptedHang | ScriptedDisconnect;

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (undefined for bodiless requests). */
  body: unknown;
}

/** A turn: fixed data, or a function of the request (to assert on it or answer dynamically). */
export type ScriptedTurn =
  | ScriptedTurnData
  | ((request: RecordedRequest, index: number) => ScriptedTurnData | Promise<ScriptedTurnData>);
