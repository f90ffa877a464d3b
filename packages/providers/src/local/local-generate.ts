import type { ChatRequest, FinishReason, StreamChunk, ToolDefinition } from "@codetether/core";
import type { ChatHistoryItem, ChatModelFunctions, GbnfJsonSchema } from "node-llama-cpp";
import { toChatHistory } from "./local-history.js";
import type { LoadedModel, LocalRuntime } from "./local-runtime.js";
import { toGrammarSchema, toolCallSchema } from "./local-schema.js";

export interface GenerateOptions {
  maxTokens: number;
  seed?: number;
  signal: AbortSignal;
  emit: (chunk: StreamChunk) => void;
}

let callCounter = 0;
const newCallId = () => `call_local_${Date.now().toString(36)}_${(callCounter++).toString(36)}`;

function emitCall(emit: (c: StreamChunk) => void, name: string, args: unknown): void {
  const id = newCallId();
  emit({ type: "tool-call-start", id, name });
  emit({ type: "tool-call-delta", id, argumentsDelta: JSON.stringify(args ?? {}) });
  emit({ type: "tool-call-end", id });
}

/** Tells the model which tools exist when a grammar forces it to answer with one call. */
function toolInstructions(tools: ToolDefinition[]): string {
  const list = tools.map(
    (t) => `- ${t.name}: ${t.description}\n  parameters: ${JSON.stringify(t.parameters)}`,
  );
  return `Answer with exactly one tool call as JSON: {"name": <tool name>, "arguments": {...}}.\nTools:\n${list.join("\n")}`;
}

/**
 * Runs one generation on a loaded model and reports chunks through `emit`. Tool calls come from
 * node-llama-cpp's function calling (`toolChoice: "auto"`) or, when a call is required (or
 * `providerOptions.toolCallMode === "grammar"`), from a JSON-Schema grammar that only admits a valid call.
 */
export async function generateLocal(
  runtime: LocalRuntime,
  loaded: LoadedModel,
  request: ChatRequest,
  options: GenerateOptions,
): Promise<void> {
  const sdk = await runtime.loadSdk();
  const llama = await runtime.getLlama();
  const tools = request.toolChoice === "none" ? [] : (request.tools ?? []);
  const grammarMode =
    tools.length > 0 &&
    (request.toolChoice === "required" || request.providerOptions?.toolCallMode === "grammar");
  let history: ChatHistoryItem[] = toChatHistory(request);
  if (grammarMode) history = [{ type: "system", text: toolInstructions(tools) }, ...history];

  const chat = new sdk.LlamaChat({ contextSequence: loaded.sequence, autoDisposeSequence: false });
  const before = loaded.sequence.tokenMeter.getState();
  const common = {
    maxTokens: request.maxTokens ?? options.maxTokens,
    signal: options.signal,
    stopOnAbortSignal: false,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  let finish: FinishReason = "stop";
  try {
    if (grammarMode) {
      const grammar = await llama.createGrammarForJsonSchema<GbnfJsonSchema>(
        toolCallSchema(tools) as GbnfJsonSchema,
      );
      const result = await chat.generateResponse(history, { ...common, grammar });
      let call: { name: string; arguments: unknown } | undefined;
      try {
        call = grammar.parse(result.response) as unknown as { name: string; arguments: unknown };
      } catch {
        call = undefined;
      }
      if (call) {
        emitCall(options.emit, call.name, call.arguments);
        finish = "tool_calls";
      } else {
        // Only reachable when the token budget cut the JSON short.
        if (result.response) options.emit({ type: "text-delta", text: result.response });
        finish = "length";
      }
    } else {
      const functions: ChatModelFunctions | undefined = tools.length
        ? Object.fromEntries(
            tools.map((t) => [
              t.name,
              { description: t.description, params: toGrammarSchema(t.parameters) as GbnfJsonSchema },
            ]),
          )
        : undefined;
      const result = await chat.generateResponse(history, {
        ...common,
        ...(functions ? { functions } : {}),
        onTextChunk: (text: string) => {
          if (text) options.emit({ type: "text-delta", text });
        },
      });
      for (const call of result.functionCalls ?? []) emitCall(options.emit, call.functionName, call.params);
      const stop = result.metadata.stopReason;
      finish = result.functionCalls?.length ? "tool_calls" : stop === "maxTokens" ? "length" : "stop";
    }
  } finally {
    chat.dispose({ disposeSequence: false });
  }
  const used = loaded.sequence.tokenMeter.diff(before);
  options.emit({
    type: "usage",
    usage: {
      promptTokens: used.usedInputTokens,
      completionTokens: used.usedOutputTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    },
  });
  options.emit({ type: "finish", reason: finish });
}
