/** One Server-Sent Events block (WHATWG HTML §9.2): `event`, joined `data` lines, and whether it was a comment. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
  /** A block with only comment lines (keep-alives). */
  comment: boolean;
}

/** Parses an SSE body block by block, written from the event-stream grammar (not any SDK). */
export async function* readSse(body: AsyncIterable<Uint8Array> | null): AsyncGenerator<SseEvent> {
  if (!body) return;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, "\n");
    let index = buffer.indexOf("\n\n");
    while (index !== -1) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      yield parseBlock(block);
      index = buffer.indexOf("\n\n");
    }
  }
  if (buffer.trim()) yield parseBlock(buffer);
}

function parseBlock(block: string): SseEvent {
  let event = "message";
  let id: string | undefined;
  const data: string[] = [];
  let comment = false;
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) comment = true;
    else if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("id:")) id = line.slice(3).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  return {
    event,
    data: data.join("\n"),
    ...(id !== undefined ? { id } : {}),
    comment: comment && data.length === 0,
  };
}
