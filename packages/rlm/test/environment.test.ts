import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { compilePattern, createChunker, detectContentType, RlmEnvironment } from "../src/index.js";

const CODE = `import fs from "node:fs";

export function readConfig(file: string) {
  return fs.readFileSync(file, "utf8");
}

class Cache {
  get(key: string) {
    return key;
  }
}

export const parse = (text: string) => JSON.parse(text);
`;

const LOGS = Array.from({ length: 40 }, (_, i) => {
  const minute = String(i).padStart(2, "0");
  return `2024-05-01T10:${minute}:00Z ${i % 10 === 3 ? "ERROR" : "INFO"} worker ${i}`;
}).join("\n");

const CHAT =
  "User: hi\nAssistant: hello, how can I help?\nUser: fix the bug\nthe one in parse\nAssistant: done\n";

const DOC = "# Title\n\nIntro text.\n\n## Install\n\nRun it.\n\n## Usage\n\nCall it.\n- a\n- b\n";

async function lines(env: RlmEnvironment, a: number, b: number) {
  const out: string[] = [];
  for await (const l of env.lines(a, b)) out.push(`${l.lineNo}:${l.text}`);
  return out;
}

describe("content types and chunkers", () => {
  it("detects code, logs, conversation and documents", () => {
    expect(detectContentType(CODE.split("\n"))).toBe("code");
    expect(detectContentType(LOGS.split("\n"))).toBe("logs");
    expect(detectContentType(CHAT.split("\n"))).toBe("conversation");
    expect(detectContentType(DOC.split("\n"))).toBe("documents");
    expect(detectContentType(["just some prose", "more prose"])).toBe("documents");
  });

  it("chunks code by symbols, logs by time windows, conversations by turns, documents by headings", async () => {
    const labels = async (content: string) => {
      const env = await RlmEnvironment.create([content]);
      await env.dispose();
      return {
        type: env.contentType,
        chunks: env.chunks.map((c) => `${c.startLine}-${c.endLine} ${c.label}`),
      };
    };
    expect(await labels(CODE)).toEqual({
      type: "code",
      chunks: ["1-2 (start)", "3-6 function readConfig", "7-12 class Cache", "13-13 const parse"],
    });
    const logs = await labels(LOGS);
    expect(logs.type).toBe("logs");
    expect(logs.chunks).toEqual([
      "1-5 2024-05-01 10:00:00 – 2024-05-01 10:04:00",
      "6-10 2024-05-01 10:05:00 – 2024-05-01 10:09:00",
      "11-15 2024-05-01 10:10:00 – 2024-05-01 10:14:00",
      "16-20 2024-05-01 10:15:00 – 2024-05-01 10:19:00",
      "21-25 2024-05-01 10:20:00 – 2024-05-01 10:24:00",
      "26-30 2024-05-01 10:25:00 – 2024-05-01 10:29:00",
      "31-35 2024-05-01 10:30:00 – 2024-05-01 10:34:00",
      "36-40 2024-05-01 10:35:00 – 2024-05-01 10:39:00",
    ]);
    expect((await labels(CHAT)).chunks).toEqual([
      "1-1 User: hi",
      "2-2 Assistant: hello, how can I help?",
      "3-4 User: fix the bug",
      "5-5 Assistant: done",
    ]);
    expect((await labels(DOC)).chunks).toEqual(["1-4 # Title", "5-8 ## Install", "9-13 ## Usage"]);
  });

  it("counts error lines per chunk and splits oversized chunks", () => {
    const chunker = createChunker("documents", { maxLines: 3 });
    for (const [i, l] of ["# A", "x", "ERROR y", "z", "w"].entries()) chunker.push(l, i + 1, l.length + 1);
    expect(chunker.finish()).toMatchObject([
      { startLine: 1, endLine: 3, label: "# A", errorLines: 1 },
      { startLine: 4, endLine: 5, label: "# A (cont.)", errorLines: 0 },
    ]);
  });
});

describe("RlmEnvironment", () => {
  it("slices exact line ranges across index boundaries, from a file in place", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-rlm-"));
    const file = path.join(dir, "n.txt");
    await fs.writeFile(file, Array.from({ length: 3000 }, (_, i) => `line ${i + 1}`).join("\r\n"));
    const env = await RlmEnvironment.create([{ path: file }]);
    expect(env.file).toBe(file);
    expect(env.totalLines).toBe(3000);
    expect(await lines(env, 511, 514)).toEqual([
      "511:line 511",
      "512:line 512",
      "513:line 513",
      "514:line 514",
    ]);
    expect(await lines(env, 2999, 5000)).toEqual(["2999:line 2999", "3000:line 3000"]);
    expect(await lines(env, 0, 1)).toEqual(["1:line 1"]);
    expect(await lines(env, 10, 5)).toEqual([]);
    await env.dispose();
    await expect(fs.stat(file)).resolves.toBeDefined();
  });

  it("joins several sources with file separators and removes the spool file", async () => {
    const env = await RlmEnvironment.create([
      "alpha\nbeta",
      { text: "gamma\n", name: "g.txt" },
      { stream: Readable.from(["del", "ta\n"]), name: "stream" },
    ]);
    expect(await lines(env, 1, 20)).toEqual([
      "1:=== FILE: content-1 ===",
      "2:alpha",
      "3:beta",
      "4:=== END FILE ===",
      "5:=== FILE: g.txt ===",
      "6:gamma",
      "7:=== END FILE ===",
      "8:=== FILE: stream ===",
      "9:delta",
      "10:=== END FILE ===",
    ]);
    await env.dispose();
    await expect(fs.stat(env.file)).rejects.toThrow();
  });

  it("keeps overlong lines bounded and rejects missing files clearly", async () => {
    const env = await RlmEnvironment.create([`${"x".repeat(3_000_000)}\nshort`]);
    const all = await lines(env, 1, 2);
    expect(all[0]!.length).toBeLessThan(20_000);
    expect(all[1]).toBe("2:short");
    expect(env.totalBytes).toBe(3_000_000 + 1 + 5);
    await env.dispose();
    await expect(RlmEnvironment.create([{ path: "/nonexistent/file.log" }])).rejects.toThrow(
      /Cannot read \/nonexistent\/file.log: not a file/,
    );
    await expect(RlmEnvironment.create([])).rejects.toThrow(/needs content/);
  });
});

describe("compilePattern", () => {
  it("rejects catastrophic-backtracking patterns at once and falls back to literals for invalid regexes", () => {
    expect(() => compilePattern("(a+)+$")).toThrow(/nested quantifiers/);
    expect(() => compilePattern("(\\w*)*x")).toThrow(/nested quantifiers/);
    expect(() => compilePattern("(a|aa){2,}")).toThrow(/nested quantifiers/);
    expect(compilePattern("(ERROR|WARN) disk").test("WARN disk full")).toBe(true);
    expect(() => compilePattern("(x)\\1")).toThrow(/backreferences/);
    expect(() => compilePattern("a".repeat(600))).toThrow(/under 500/);
    const literal = compilePattern("foo(bar");
    expect(literal.test("x foo(bar y")).toBe(true);
    expect(literal.description).toContain("searched literally");
    expect(compilePattern("err", { ignoreCase: true }).test("ERROR")).toBe(true);
  });
});
