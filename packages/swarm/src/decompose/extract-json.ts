/**
 * The JSON object in a model reply: the content of a ```json fence if there is one, else the text from
 * the first `{` to the last `}`. Throws with a message the model can act on.
 */
export function extractJsonObject(text: string): unknown {
  const fence = /```(?:json)?\s*\n([\s\S]*?)```/i.exec(text);
  let candidate = fence?.[1]?.trim();
  if (!candidate) {
    const start = text.indexOf("{");
    const end = text.lastIndexOf("}");
    if (start < 0 || end <= start)
      throw new Error("The reply contains no JSON object. Reply with one JSON object only.");
    candidate = text.slice(start, end + 1);
  }
  try {
    return JSON.parse(candidate);
  } catch (err) {
    throw new Error(
      `The reply is not valid JSON (${(err as Error).message}). Reply with one JSON object only.`,
    );
  }
}
