import type { Message, ToolDefinition } from "@codetether/core";

/**
 * FunctionGemma's native notation, kept in this one file (its grammar is `functiongemma-grammar.ts`, its
 * parser `functiongemma-parse.ts`).
 *
 * Turns are `<start_of_turn>ROLE\n … <end_of_turn>\n` (roles developer, user, model). The developer turn is the
 * fixed line below followed by one `<start_function_declaration>declaration:NAME{…}<end_function_declaration>`
 * per tool: keys unquoted, every string wrapped in the single `<escape>` token, JSON-Schema types upper-case.
 * Calls are `<start_function_call>call:NAME{key:<escape>text<escape>,n:3,flag:true}<end_function_call>`;
 * results go back as `<start_function_response>response:NAME{…}<end_function_response>`.
 * Object keys are written in sorted order, as the published chat template's `dictsort` does.
 */
export const FUNCTION_GEMMA_TOKENS = {
  startOfTurn: "<start_of_turn>",
  endOfTurn: "<end_of_turn>",
  startDeclaration: "<start_function_declaration>",
  endDeclaration: "<end_function_declaration>",
  startCall: "<start_function_call>",
  endCall: "<end_function_call>",
  startResponse: "<start_function_response>",
  endResponse: "<end_function_response>",
  escape: "<escape>",
} as const;

/** The developer line FunctionGemma was trained to switch on function calling with (no words added). */
export const FUNCTION_GEMMA_DEVELOPER_LINE =
  "You are a model that can do function calling with the following functions";

/** A prompt piece: literal user-controlled text, or a control token that must tokenise as special. */
export type PromptSegment = { text: string } | { special: string };

/** One turn of the conversation given to FunctionGemma. Core `Message`s are accepted too. */
export interface FunctionGemmaMessage {
  role: "user" | "model";
  /** Plain text of the turn. */
  text?: string;
  /** Calls the model made in this turn. */
  calls?: ReadonlyArray<{ name: string; arguments: Record<string, unknown> }>;
  /** Results given back after those calls. */
  responses?: ReadonlyArray<{ name: string; response: Record<string, unknown> }>;
}

export interface FunctionGemmaPromptInput {
  tools: readonly ToolDefinition[];
  messages: ReadonlyArray<FunctionGemmaMessage | Message>;
  /** End with the generation prompt `<start_of_turn>model\n` (default true). */
  addGenerationPrompt?: boolean;
}

const T = FUNCTION_GEMMA_TOKENS;
type Schema = Record<string, unknown>;

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Appends pieces, merging adjacent text so the segment list stays short. */
class Segments {
  readonly list: PromptSegment[] = [];
  text(text: string): this {
    if (!text) return this;
    const last = this.list[this.list.length - 1];
    if (last && "text" in last) last.text += text;
    else this.list.push({ text });
    return this;
  }
  special(token: string): this {
    this.list.push({ special: token });
    return this;
  }
  str(value: string): this {
    return this.special(T.escape).text(value).special(T.escape);
  }
}

/** A value in call/response notation: strings escaped, numbers and booleans bare, keys sorted. */
function writeValue(out: Segments, value: unknown): void {
  if (typeof value === "string") out.str(value);
  else if (typeof value === "number" || typeof value === "boolean") out.text(String(value));
  else if (value === null || value === undefined) out.text("null");
  else if (Array.isArray(value)) {
    out.text("[");
    value.forEach((item, i) => {
      if (i > 0) out.text(",");
      writeValue(out, item);
    });
    out.text("]");
  } else if (isObject(value)) writeObject(out, value);
  else out.str(String(value));
}

function writeObject(out: Segments, value: Schema): void {
  out.text("{");
  sortedKeys(value).forEach((key, i) => {
    out.text(`${i > 0 ? "," : ""}${key}:`);
    writeValue(out, value[key]);
  });
  out.text("}");
}

export function sortedKeys(value: Schema): string[] {
  return Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
}

/** The JSON-Schema type name FunctionGemma sees (upper-case; the first non-null one of a union). */
function typeName(schema: Schema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (typeof type === "string") return type.toUpperCase();
  if (isObject(schema.properties)) return "OBJECT";
  if (Array.isArray(schema.enum)) return "STRING";
  return undefined;
}

/** A union (`anyOf`/`oneOf`) is declared as its first non-null alternative. */
function declaredSchema(schema: Schema): Schema {
  const variants = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(variants)) return schema;
  const pick = variants.find((v) => isObject(v) && v.type !== "null");
  if (!isObject(pick)) return schema;
  const { anyOf: _a, oneOf: _o, ...rest } = schema;
  return { ...declaredSchema(pick), ...rest };
}

/** Keys in the order the template writes them: description, enum, items, properties, required, type. */
function writeSchema(out: Segments, raw: Schema, top = false): void {
  const schema = declaredSchema(raw);
  const parts: Array<() => void> = [];
  if (!top && typeof schema.description === "string") {
    parts.push(() => out.text("description:").str(schema.description as string));
  }
  if (Array.isArray(schema.enum)) {
    parts.push(() => {
      out.text("enum:");
      writeValue(out, schema.enum);
    });
  }
  if (isObject(schema.items)) {
    parts.push(() => {
      out.text("items:");
      writeSchema(out, schema.items as Schema);
    });
  }
  if (isObject(schema.properties)) {
    const properties = schema.properties;
    parts.push(() => {
      out.text("properties:{");
      sortedKeys(properties).forEach((key, i) => {
        out.text(`${i > 0 ? "," : ""}${key}:`);
        writeSchema(out, isObject(properties[key]) ? (properties[key] as Schema) : {});
      });
      out.text("}");
    });
  }
  if (Array.isArray(schema.required) && schema.required.length > 0) {
    parts.push(() => {
      out.text("required:");
      writeValue(out, schema.required);
    });
  }
  const type = typeName(schema) ?? (top ? "OBJECT" : undefined);
  if (type) parts.push(() => out.text("type:").str(type));
  out.text("{");
  parts.forEach((write, i) => {
    if (i > 0) out.text(",");
    write();
  });
  out.text("}");
}

function writeDeclaration(out: Segments, tool: ToolDefinition): void {
  out.special(T.startDeclaration).text(`declaration:${tool.name}{description:`).str(tool.description);
  out.text(",parameters:");
  writeSchema(out, isObject(tool.parameters) ? tool.parameters : {}, true);
  out.text("}").special(T.endDeclaration);
}

function parseArguments(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

/** Core messages in FunctionGemma's roles: assistant → model, tool results → responses of the model turn. */
function toGemmaMessages(messages: FunctionGemmaPromptInput["messages"]): FunctionGemmaMessage[] {
  const out: FunctionGemmaMessage[] = [];
  const names = new Map<string, string>();
  for (const message of messages) {
    if (!("content" in message)) {
      out.push(message);
      continue;
    }
    const text = message.content
      .map((p) => (p.type === "text" ? p.text : ""))
      .join("")
      .trim();
    if (message.role === "system") continue;
    if (message.role === "user") {
      if (text) out.push({ role: "user", text });
      continue;
    }
    if (message.role === "assistant") {
      const calls = message.content.flatMap((p) => {
        if (p.type !== "tool_call") return [];
        names.set(p.id, p.name);
        return [{ name: p.name, arguments: parseArguments(p.arguments) }];
      });
      out.push({ role: "model", ...(text ? { text } : {}), ...(calls.length ? { calls } : {}) });
      continue;
    }
    const responses = message.content.flatMap((p) =>
      p.type === "tool_result"
        ? [{ name: names.get(p.tool_call_id) ?? "tool", response: { result: p.content } }]
        : [],
    );
    const last = out[out.length - 1];
    if (last?.role === "model") last.responses = [...(last.responses ?? []), ...responses];
  }
  return out;
}

/**
 * The prompt as segments: user-controlled text (messages, tool descriptions, argument values) stays in `text`
 * segments so it is tokenised as plain text — an `<end_of_turn>` inside it cannot end the turn.
 */
export function functionGemmaPromptSegments(input: FunctionGemmaPromptInput): PromptSegment[] {
  const out = new Segments();
  out.special(T.startOfTurn).text(`developer\n${FUNCTION_GEMMA_DEVELOPER_LINE}`);
  for (const tool of input.tools) writeDeclaration(out, tool);
  out.special(T.endOfTurn).text("\n");
  for (const message of toGemmaMessages(input.messages)) {
    out.special(T.startOfTurn).text(`${message.role}\n`);
    if (message.text) out.text(message.text);
    for (const call of message.calls ?? []) {
      out.special(T.startCall).text(`call:${call.name}`);
      writeObject(out, call.arguments);
      out.special(T.endCall);
    }
    for (const response of message.responses ?? []) {
      out.special(T.startResponse).text(`response:${response.name}`);
      writeObject(out, response.response);
      out.special(T.endResponse);
    }
    out.special(T.endOfTurn).text("\n");
  }
  if (input.addGenerationPrompt ?? true) out.special(T.startOfTurn).text("model\n");
  return out.list;
}

/** The prompt as one string with the special tokens inline (what the model sees, for fixtures and logs). */
export function formatFunctionGemmaPrompt(input: FunctionGemmaPromptInput): string {
  return promptToString(functionGemmaPromptSegments(input));
}

export function promptToString(segments: readonly PromptSegment[]): string {
  return segments.map((s) => ("special" in s ? s.special : s.text)).join("");
}
