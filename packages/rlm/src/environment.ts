import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Chunk, type ChunkerOptions, createChunker } from "./chunkers.js";
import { type ContentType, detectContentType } from "./content-type.js";
import { readLines } from "./line-reader.js";

/** Content for RLM: a plain string is content; `{ path }` is a file; streams are read once. */
export type RlmSource =
  | string
  | { path: string }
  | { text: string; name?: string }
  | { stream: NodeJS.ReadableStream | AsyncIterable<string | Uint8Array>; name?: string }
  | NodeJS.ReadableStream;

export interface EnvironmentOptions extends ChunkerOptions {
  /** Skip detection. */
  contentType?: ContentType;
  /** Where spooled content goes (default: a new directory under the OS temp dir). */
  tmpDir?: string;
  signal?: AbortSignal;
}

/** Every `INDEX_EVERY`-th line's byte offset is kept, so a slice seeks near its start. */
const INDEX_EVERY = 512;
const DETECT_SAMPLE = 200;

function isReadable(value: unknown): value is NodeJS.ReadableStream | AsyncIterable<string | Uint8Array> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/**
 * The content RLM explores, held in a file and never in one string: a single file source is used in
 * place; anything else is spooled to a temp file with `=== FILE: name ===` separators. A sparse line
 * index and the chunk list are built in one streaming pass.
 */
export class RlmEnvironment {
  private constructor(
    readonly file: string,
    readonly totalLines: number,
    readonly totalBytes: number,
    readonly contentType: ContentType,
    readonly chunks: Chunk[],
    private readonly lineOffsets: number[],
    readonly sourceNames: string[],
    private readonly spoolDir: string | undefined,
  ) {}

  static async create(
    sources: readonly RlmSource[],
    options: EnvironmentOptions = {},
  ): Promise<RlmEnvironment> {
    if (sources.length === 0) throw new Error("RLM needs content: pass at least one file, string or stream.");
    const names = sources.map((s, i) =>
      typeof s === "string"
        ? `content-${i + 1}`
        : "path" in s
          ? s.path
          : "name" in s && s.name
            ? s.name
            : `input-${i + 1}`,
    );
    let file: string;
    let spoolDir: string | undefined;
    const only = sources[0];
    if (sources.length === 1 && typeof only === "object" && only !== null && "path" in only) {
      file = only.path;
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw new Error(`Cannot read ${file}: not a file. Pass existing files with -f.`);
    } else {
      spoolDir = await mkdtemp(path.join(options.tmpDir ?? os.tmpdir(), "codetether-rlm-"));
      file = path.join(spoolDir, "content.txt");
      try {
        await spool(sources, names, file);
      } catch (err) {
        await rm(spoolDir, { recursive: true, force: true });
        throw err;
      }
    }
    const sample: string[] = [];
    const offsets: number[] = [];
    let chunker = options.contentType ? createChunker(options.contentType, options) : undefined;
    let contentType = options.contentType;
    const buffered: Array<{ text: string; lineNo: number; bytes: number }> = [];
    let lines = 0;
    let bytes = 0;
    for await (const line of readLines(file, {
      maxLineChars: 2_000,
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      if ((line.lineNo - 1) % INDEX_EVERY === 0) offsets.push(line.offset);
      lines = line.lineNo;
      bytes = line.offset + line.bytes;
      if (!chunker) {
        buffered.push({ text: line.text, lineNo: line.lineNo, bytes: line.bytes });
        sample.push(line.text);
        if (sample.length < DETECT_SAMPLE) continue;
        contentType = detectContentType(sample);
        chunker = createChunker(contentType, options);
        for (const b of buffered.splice(0)) chunker.push(b.text, b.lineNo, b.bytes);
        continue;
      }
      chunker.push(line.text, line.lineNo, line.bytes);
    }
    if (!chunker) {
      contentType = detectContentType(sample);
      chunker = createChunker(contentType, options);
      for (const b of buffered) chunker.push(b.text, b.lineNo, b.bytes);
    }
    return new RlmEnvironment(
      file,
      lines,
      bytes,
      contentType ?? "documents",
      chunker.finish(),
      offsets,
      names,
      spoolDir,
    );
  }

  /** Lines `start..end` (1-based, inclusive), clamped to the content. */
  async *lines(
    start: number,
    end: number,
    signal?: AbortSignal,
  ): AsyncGenerator<{ lineNo: number; text: string }> {
    const from = Math.max(1, Math.floor(start));
    const to = Math.min(this.totalLines, Math.floor(end));
    if (to < from) return;
    const slot = Math.floor((from - 1) / INDEX_EVERY);
    const offset = this.lineOffsets[slot] ?? 0;
    for await (const line of readLines(this.file, {
      start: offset,
      firstLineNo: slot * INDEX_EVERY + 1,
      ...(signal ? { signal } : {}),
    })) {
      if (line.lineNo < from) continue;
      if (line.lineNo > to) return;
      yield { lineNo: line.lineNo, text: line.text };
    }
  }

  /** All lines, streamed. */
  all(signal?: AbortSignal): AsyncGenerator<{ lineNo: number; text: string }> {
    return this.lines(1, this.totalLines, signal);
  }

  /** Removes spooled temp files (a file given in place is left alone). */
  async dispose(): Promise<void> {
    if (this.spoolDir) await rm(this.spoolDir, { recursive: true, force: true });
  }
}

async function spool(sources: readonly RlmSource[], names: readonly string[], file: string): Promise<void> {
  const many = sources.length > 1;
  async function* content(): AsyncGenerator<string | Uint8Array> {
    for (const [i, source] of sources.entries()) {
      if (many) yield `=== FILE: ${names[i]} ===\n`;
      let last: string | Uint8Array | undefined;
      if (typeof source === "string") {
        yield source;
        last = source;
      } else if ("text" in source) {
        yield source.text;
        last = source.text;
      } else if ("path" in source) {
        const info = await stat(source.path).catch(() => undefined);
        if (!info?.isFile())
          throw new Error(`Cannot read ${source.path}: not a file. Pass existing files with -f.`);
        for await (const chunk of Readable.from((await import("node:fs")).createReadStream(source.path))) {
          yield chunk as Uint8Array;
          last = chunk as Uint8Array;
        }
      } else {
        const stream = "stream" in source ? source.stream : source;
        if (!isReadable(stream)) throw new Error(`Source ${names[i]} is not a readable stream.`);
        for await (const chunk of stream as AsyncIterable<string | Uint8Array>) {
          yield chunk;
          last = chunk;
        }
      }
      const endsWithNewline =
        last === undefined ||
        (typeof last === "string" ? last.endsWith("\n") : last[last.length - 1] === 0x0a);
      if (many && !endsWithNewline) yield "\n";
      if (many) yield "=== END FILE ===\n";
    }
  }
  await pipeline(Readable.from(content()), createWriteStream(file));
}
