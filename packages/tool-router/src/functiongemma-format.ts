import type { Message, ToolDefinition } from "@codetether/core";

/**
 * FunctionGemma's prompt format, kept in this one file.
 *
 * The control tokens below follow the FunctionGemma model card (Gemma turn markers plus function
 * declaration/call markers and `<escape>` around strings). They could NOT be verified against the
 * real tokenizer offline: if the model card differs, fix the strings here and nowhere else.
 * Output is constrained to JSON by a grammar either way, so a wrong marker degrades quality, never
 * correctness.
 */
export const FUNCTION_GEMMA_TOKENS = {
  startOfTurn: "<start_of_turn>",
  endOfTurn: "<end_of_turn>",
  startDeclaration: "<start_function_declaration>",
  endDeclaration: "<end_function_declaration>",
  startCall: "<start_function_call>",
  endCall: "<end_function_call>",
  escape: "<escape>",
} as const;

/** A prompt piece: literal user-controlled text, or a control token that must tokenise as special. */
export type PromptSegment = { text: string } | { special: string };

export interface RouterPromptInput {
  /** The assistant answer to turn into tool calls. */
  text: string;
  /** The last messages of the conversation, for context (only text is used). */
  tail: readonly Message[];
  tools: readonly ToolDefinition[];
  /** Character caps that keep the prompt inside the router's context. */
  maxTextChars?: number;
  maxTailChars?: number;
}

const T = FUNCTION_GEMMA_TOKENS;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function tailText(tail: readonly Message[], max: number): string {
  const lines: string[] = [];
  for (const message of tail) {
    const text = message.content
      .filter((p) => p.type === "text")
      .map((p) => (p.type === "text" ? p.text : ""))
      .join("");
    if (text) lines.push(`${message.role}: ${text}`);
  }
  const joined = lines.join("\n");
  // Keep the end: the latest turns matter most.
  return joined.length > max ? `…${joined.slice(joined.length - max)}` : joined;
}

/**
 * The router prompt. User-controlled text (assistant answer, conversation, tool descriptions) is kept
 * in `text` segments so it is tokenised as plain text: a `<end_of_turn>` inside it cannot end the turn.
 */
export function buildRouterPrompt(input: RouterPromptInput): PromptSegment[] {
  const segments: PromptSegment[] = [
    { special: T.startOfTurn },
    {
      text:
        "developer\nYou are a model that can do function calling with the following functions. " +
        "Turn the assistant's stated intent into function calls with exact arguments. " +
        "If the assistant does not intend to use a function, return no calls.\n",
    },
  ];
  for (const tool of input.tools) {
    segments.push(
      { special: T.startDeclaration },
      {
        text: `declaration:${tool.name}${JSON.stringify({ description: tool.description, parameters: tool.parameters })}`,
      },
      { special: T.endDeclaration },
    );
  }
  segments.push({ special: T.endOfTurn }, { text: "\n" }, { special: T.startOfTurn });
  const context = tailText(input.tail, input.maxTailChars ?? 4_000);
  segments.push({
    text:
      "user\n" +
      (context ? `Conversation so far:\n${context}\n\n` : "") +
      `Assistant answer to convert into function calls:\n${clip(input.text, input.maxTextChars ?? 8_000)}`,
  });
  segments.push(
    { special: T.endOfTurn },
    { text: "\n" },
    { special: T.startOfTurn },
    { text: "model\n" },
    { special: T.startCall },
  );
  return segments;
}

/** The prompt as one string, for logs and tests (special tokens inline). */
export function promptToString(segments: readonly PromptSegment[]): string {
  return segments.map((s) => ("special" in s ? s.special : s.text)).join("");
}
