import type { ChatRequest, ContentPart } from "@codetether/core";
import type {
  Content,
  FunctionCallingConfigMode,
  FunctionDeclaration,
  GenerateContentConfig,
  Part,
} from "@google/genai";
import { parseToolCallArguments } from "../shared/tool-call-arguments.js";

/**
 * Maps core messages to Gemini `contents`: assistant → `model`, tool results → `functionResponse` parts in
 * a `user` turn (named after the call they answer), system messages → `systemInstruction`.
 * A thinking part's signature is re-attached as `thoughtSignature` to the part that follows it, which is
 * where Gemini put it.
 */
export function toGeminiContents(request: ChatRequest): { contents: Content[]; systemInstruction?: Content } {
  const contents: Content[] = [];
  const system: Part[] = [];
  const callNames = new Map<string, string>();
  for (const message of request.messages) {
    if (message.role === "system") {
      for (const p of message.content) if (p.type === "text" && p.text) system.push({ text: p.text });
      continue;
    }
    const role = message.role === "assistant" ? "model" : "user";
    const parts: Part[] = [];
    let pendingSignature: string | undefined;
    const push = (part: Part) => {
      if (pendingSignature) part.thoughtSignature = pendingSignature;
      pendingSignature = undefined;
      parts.push(part);
    };
    for (const p of message.content as ContentPart[]) {
      switch (p.type) {
        case "text":
          if (p.text) push({ text: p.text });
          break;
        case "thinking":
          if (p.signature) pendingSignature = p.signature;
          break;
        case "image":
          if (p.data) push({ inlineData: { mimeType: p.mimeType, data: p.data } });
          else if (p.url) push({ fileData: { mimeType: p.mimeType, fileUri: p.url } });
          break;
        case "file":
          push({ text: p.data ? `<file path="${p.path}">\n${p.data}\n</file>` : `[file: ${p.path}]` });
          break;
        case "tool_call":
          callNames.set(p.id, p.name);
          push({ functionCall: { id: p.id, name: p.name, args: parseToolCallArguments(p.arguments) } });
          break;
        case "tool_result":
          push({
            functionResponse: {
              id: p.tool_call_id,
              name: callNames.get(p.tool_call_id) ?? p.tool_call_id,
              response: p.is_error ? { error: p.content } : { output: p.content },
            },
          });
          // Gemini takes images and audio inline next to the function response.
          for (const m of p.media ?? [])
            if (/^(image|audio)\//.test(m.mimeType))
              push({ inlineData: { mimeType: m.mimeType, data: m.data } });
          break;
      }
    }
    if (parts.length === 0) continue;
    const previous = contents.at(-1);
    if (previous?.role === role) previous.parts?.push(...parts);
    else contents.push({ role, parts });
  }
  return system.length ? { contents, systemInstruction: { parts: system } } : { contents };
}

/** Generation config: tools as function declarations with raw JSON Schema parameters. */
export function toGeminiConfig(request: ChatRequest, signal?: AbortSignal): GenerateContentConfig {
  const { systemInstruction } = toGeminiContents(request);
  const config: GenerateContentConfig = {};
  if (systemInstruction) config.systemInstruction = systemInstruction;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.tools?.length) {
    config.tools = [
      {
        functionDeclarations: request.tools.map(
          (t): FunctionDeclaration => ({
            name: t.name,
            description: t.description,
            parametersJsonSchema: t.parameters,
          }),
        ),
      },
    ];
    const mode = request.toolChoice === "required" ? "ANY" : request.toolChoice === "none" ? "NONE" : "AUTO";
    config.toolConfig = { functionCallingConfig: { mode: mode as FunctionCallingConfigMode } };
  }
  const thinkingBudget = request.providerOptions?.thinkingBudgetTokens;
  if (typeof thinkingBudget === "number") config.thinkingConfig = { thinkingBudget, includeThoughts: true };
  if (signal) config.abortSignal = signal;
  return config;
}
