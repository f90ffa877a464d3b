/**
 * Parses tool-call arguments the model produced into the JSON object the native APIs (Anthropic `input`,
 * Bedrock `toolUse.input`, Gemini `functionCall.args`) require. Empty text is `{}`; a JSON value that is not an
 * object is wrapped as `{ value }`; unparseable text is kept as `{ _raw }` so nothing the model said is lost.
 */
export function parseToolCallArguments(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      return value as Record<string, unknown>;
    return { value };
  } catch {
    return { _raw: text };
  }
}
