import { type ContentType, TURN_LINE } from "./content-type.js";

/** A contiguous range of lines that belongs together (one symbol, time window, turn or section). */
export interface Chunk {
  index: number;
  /** First line, 1-based, inclusive. */
  startLine: number;
  /** Last line, inclusive. */
  endLine: number;
  /** What the chunk is: symbol name, time window, speaker, heading. */
  label: string;
  bytes: number;
  /** Lines that look like errors (ERROR/FATAL/Exception/failed). */
  errorLines: number;
}

export interface ChunkerOptions {
  /** Split chunks longer than this many lines (default 2000). */
  maxLines?: number;
  /** Split chunks larger than this (default 256 KiB). */
  maxBytes?: number;
  /** Log time window in minutes (default 5). */
  windowMinutes?: number;
}

/** Streaming chunker: lines go in one by one, chunks come out; memory is one chunk's metadata. */
export interface Chunker {
  push(line: string, lineNo: number, bytes: number): void;
  finish(): Chunk[];
}

const ERROR_LINE = /\b(ERROR|FATAL|CRITICAL|Exception|Traceback|panic|failed|FAILED)\b/;
const SYMBOL =
  /^(?:export\s+)?(?:default\s+)?(?:pub(?:\(\w+\))?\s+)?(?:async\s+)?(?:(function\*?|class|interface|type|enum|struct|impl|trait|fn|def|const|let|var|mod|namespace)\s+([A-Za-z_$][\w$]*))/;
const FILE_HEADER = /^=== FILE: (.+) ===$/;
const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

const TIMESTAMPS: Array<[RegExp, (m: RegExpExecArray) => number]> = [
  [
    /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):?(\d{2})?/,
    (m) => Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)),
  ],
  [/^\[?(\d{2}):(\d{2}):(\d{2})/, (m) => (+m[1]! * 3600 + +m[2]! * 60 + +m[3]!) * 1000],
  [/^(\d{10})(?:\.\d+)?\s/, (m) => +m[1]! * 1000],
];

/** Milliseconds of a log line's timestamp, if it has one. */
export function logTimestamp(line: string): number | undefined {
  for (const [pattern, toMs] of TIMESTAMPS) {
    const m = pattern.exec(line);
    if (m) return toMs(m);
  }
  return undefined;
}

function fmtTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

/**
 * Creates the chunker for a content type: symbol boundaries for code, time windows for logs, turns
 * for conversations, heading sections for documents. File headers always start a chunk.
 */
export function createChunker(type: ContentType, options: ChunkerOptions = {}): Chunker {
  const maxLines = options.maxLines ?? 2_000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const windowMs = (options.windowMinutes ?? 5) * 60_000;
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  let file = "";
  let windowStart: number | undefined;
  let windowEnd: number | undefined;

  const close = () => {
    if (!current) return;
    if (type === "logs" && windowStart !== undefined) {
      current.label = `${fmtTime(windowStart)} – ${fmtTime(windowEnd ?? windowStart)}`;
    }
    if (file && !current.label.startsWith(file)) current.label = `${file}: ${current.label}`;
    chunks.push(current);
    current = undefined;
    windowStart = undefined;
    windowEnd = undefined;
  };
  const open = (lineNo: number, label: string) => {
    close();
    current = { index: chunks.length, startLine: lineNo, endLine: lineNo, label, bytes: 0, errorLines: 0 };
  };

  /** A boundary label when this line starts a new chunk, else undefined. */
  const boundary = (line: string): string | undefined => {
    const header = FILE_HEADER.exec(line);
    if (header) {
      file = header[1] ?? "";
      return "(file start)";
    }
    switch (type) {
      case "code": {
        const m = SYMBOL.exec(line);
        return m ? `${m[1]} ${m[2]}` : undefined;
      }
      case "documents": {
        const m = HEADING.exec(line);
        return m ? `${m[1]} ${m[2]}` : undefined;
      }
      case "conversation": {
        if (!TURN_LINE.test(line)) return undefined;
        return line.trim().slice(0, 60);
      }
      case "logs": {
        const ts = logTimestamp(line);
        if (ts === undefined) return undefined;
        const bucket = Math.floor(ts / windowMs) * windowMs;
        const startsWindow =
          windowStart === undefined || Math.floor(windowStart / windowMs) * windowMs !== bucket;
        return startsWindow ? "(window)" : undefined;
      }
    }
  };

  return {
    push(line, lineNo, bytes) {
      const label = boundary(line);
      if (label !== undefined || !current) open(lineNo, label ?? "(start)");
      else if (current.endLine - current.startLine + 1 >= maxLines || current.bytes + bytes > maxBytes) {
        open(lineNo, `${current.label.replace(/ \(cont\.\)$/, "")} (cont.)`);
      }
      const chunk = current as Chunk;
      if (type === "logs") {
        const ts = logTimestamp(line);
        if (ts !== undefined) {
          windowStart ??= ts;
          windowEnd = ts;
        }
      }
      chunk.endLine = lineNo;
      chunk.bytes += bytes;
      if (ERROR_LINE.test(line)) chunk.errorLines++;
    },
    finish() {
      close();
      return chunks;
    },
  };
}
