import { createReadStream } from "node:fs";

export interface LineRecord {
  /** 1-based line number. */
  lineNo: number;
  /** Byte offset of the line start in the file. */
  offset: number;
  /** Length in bytes including the newline. */
  bytes: number;
  text: string;
}

/**
 * Iterates the lines of a file (or of a byte range of it) with their numbers and offsets, reading
 * 1 MiB at a time: memory stays bounded whatever the file size. Lines longer than `maxLineChars`
 * are truncated in `text` (their byte length stays exact).
 */
export async function* readLines(
  file: string,
  options: {
    start?: number;
    end?: number;
    firstLineNo?: number;
    maxLineChars?: number;
    signal?: AbortSignal;
  } = {},
): AsyncGenerator<LineRecord> {
  const maxLineChars = options.maxLineChars ?? 10_000;
  const stream = createReadStream(file, {
    start: options.start ?? 0,
    ...(options.end !== undefined ? { end: options.end - 1 } : {}),
    highWaterMark: 1024 * 1024,
  });
  let lineNo = options.firstLineNo ?? 1;
  let offset = options.start ?? 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const emit = (parts: Buffer[], total: number): LineRecord => {
    // `total` is the line's real byte length; `parts` may hold only its head (overlong lines).
    const joined = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    let end = joined.length;
    const complete = joined.length === total;
    if (complete && end > 0 && joined[end - 1] === 0x0a) end--;
    if (complete && end > 0 && joined[end - 1] === 0x0d) end--;
    const text = joined.subarray(0, Math.min(end, maxLineChars * 4)).toString("utf8");
    const record = {
      lineNo,
      offset,
      bytes: total,
      text: text.length > maxLineChars ? text.slice(0, maxLineChars) : text,
    };
    lineNo++;
    offset += total;
    return record;
  };
  try {
    for await (const data of stream as AsyncIterable<Buffer>) {
      if (options.signal?.aborted) throw options.signal.reason;
      let start = 0;
      for (;;) {
        const nl = data.indexOf(0x0a, start);
        if (nl < 0) break;
        const piece = data.subarray(start, nl + 1);
        if (pendingBytes) {
          pending.push(piece);
          yield emit(pending, pendingBytes + piece.length);
          pending = [];
          pendingBytes = 0;
        } else {
          yield emit([piece], piece.length);
        }
        start = nl + 1;
      }
      if (start < data.length) {
        // Keep at most ~maxLineChars*4 bytes of an overlong line; the rest only counts.
        const rest = data.subarray(start);
        if (pendingBytes < maxLineChars * 4) pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
    if (pendingBytes) yield emit(pending, pendingBytes);
  } finally {
    stream.destroy();
  }
}
