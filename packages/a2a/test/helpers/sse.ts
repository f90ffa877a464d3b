/** A spec-level SSE reader (not the SDK's): yields {event, data} per blank-line-terminated block. */
export async function* readSse(
  response: Response,
): AsyncGenerator<{ event: string; data: string; comment: boolean }> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let index = buffer.indexOf("\n\n");
    while (index !== -1) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      let event = "message";
      const data: string[] = [];
      let comment = false;
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) comment = true;
        else if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      yield { event, data: data.join("\n"), comment: comment && data.length === 0 };
      index = buffer.indexOf("\n\n");
    }
  }
}

/** Collects the JSON data events of an SSE response (comments skipped). */
export async function sseJson(response: Response): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of readSse(response)) if (!e.comment && e.data) out.push(JSON.parse(e.data));
  return out;
}

/** Raw wire JSON in tests: asserted field by field and validated against the A2A schema. */
// biome-ignore lint/suspicious/noExplicitAny: raw wire JSON, checked by assertions and ajv
export type Wire = any;
