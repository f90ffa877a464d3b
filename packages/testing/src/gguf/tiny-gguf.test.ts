import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildTinyGguf, writeTinyGguf } from "./tiny-gguf.js";

/** Reads the header and metadata keys back, independently of the writer. */
function readHeader(buf: Buffer): { version: number; tensors: number; keys: string[]; arch: string } {
  expect(buf.subarray(0, 4).toString("ascii")).toBe("GGUF");
  const version = buf.readUInt32LE(4);
  const tensors = Number(buf.readBigUInt64LE(8));
  const nKv = Number(buf.readBigUInt64LE(16));
  let pos = 24;
  const str = () => {
    const len = Number(buf.readBigUInt64LE(pos));
    pos += 8;
    const s = buf.subarray(pos, pos + len).toString("utf8");
    pos += len;
    return s;
  };
  const skip = (type: number): string | undefined => {
    if (type === 8) return str();
    if (type === 7) pos += 1;
    else if (type === 4 || type === 5 || type === 6) pos += 4;
    else if (type === 9) {
      const elem = buf.readUInt32LE(pos);
      const n = Number(buf.readBigUInt64LE(pos + 4));
      pos += 12;
      for (let i = 0; i < n; i++) skip(elem);
    } else throw new Error(`unexpected type ${type}`);
    return undefined;
  };
  const keys: string[] = [];
  let arch = "";
  for (let i = 0; i < nKv; i++) {
    const key = str();
    const type = buf.readUInt32LE(pos);
    pos += 4;
    const value = skip(type);
    if (key === "general.architecture" && value) arch = value;
    keys.push(key);
  }
  return { version, tensors, keys, arch };
}

describe("writeTinyGguf", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("writes a GGUF v3 gemma3 model with a tokenizer and chat template", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-"));
    dirs.push(dir);
    const info = await writeTinyGguf(path.join(dir, "nested", "tiny.gguf"));
    const buf = await readFile(info.file);
    expect(buf.length).toBe(info.bytes);
    expect(info.bytes).toBe(414_496);
    expect(info.params).toBe(100_672);
    const header = readHeader(buf);
    expect(header.version).toBe(3);
    expect(header.arch).toBe("gemma3");
    expect(header.tensors).toBe(28);
    expect(header.keys).toEqual(
      expect.arrayContaining(["tokenizer.ggml.tokens", "tokenizer.chat_template", "gemma3.block_count"]),
    );
  });

  it("is byte-identical per seed and differs across seeds", () => {
    const a = buildTinyGguf({ seed: 5 }).bytes;
    const b = buildTinyGguf({ seed: 5 }).bytes;
    const c = buildTinyGguf({ seed: 6 }).bytes;
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.length).toBe(c.length);
  });

  it("supports the llama arch and f16 weights", () => {
    const f16 = buildTinyGguf({ arch: "llama", type: "f16" });
    expect(readHeader(f16.bytes).arch).toBe("llama");
    expect(f16.bytes.length).toBeLessThan(buildTinyGguf({ arch: "llama" }).bytes.length);
  });

  it("adds extra words to the vocabulary", () => {
    const base = buildTinyGguf().vocabSize;
    expect(buildTinyGguf({ extraWords: ["bash"] }).vocabSize).toBe(base + 3);
  });

  it("rejects impossible shapes with a clear error", () => {
    expect(() => buildTinyGguf({ arch: "llama", embd: 64, heads: 3 })).toThrow(
      /positive integer|headDim \* heads/,
    );
    expect(() => buildTinyGguf({ layers: 0 })).toThrow(/"layers" must be a positive integer, got 0/);
    expect(() => buildTinyGguf({ heads: 3, kvHeads: 2 })).toThrow(/multiple of kvHeads/);
  });
});
