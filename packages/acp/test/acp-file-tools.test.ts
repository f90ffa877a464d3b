import type { ToolContext } from "@codetether/core";
import { describe, expect, it } from "vitest";
import type { AcpFileSystem } from "../src/acp-file-system.js";
import { createAcpFileTools } from "../src/acp-file-tools.js";

/** An editor file system holding buffers in memory, recording writes. */
function memoryFs(files: Record<string, string>) {
  const writes: Array<{ sessionId: string; path: string; content: string }> = [];
  const fs: AcpFileSystem = {
    async readTextFile(_sessionId, path) {
      const content = files[path];
      if (content === undefined) throw new Error(`Resource not found: ${path}`);
      return content;
    },
    async writeTextFile(sessionId, path, content) {
      writes.push({ sessionId, path, content });
      files[path] = content;
    },
  };
  return { fs, writes, files };
}

const ctx: ToolContext = {
  cwd: "/proj",
  workspaceRoot: "/proj",
  signal: new AbortController().signal,
  sessionId: "s1",
  callId: "c1",
  emit: () => {},
};

function tools(fs: AcpFileSystem, caps = { read: true, write: true }) {
  return Object.fromEntries(createAcpFileTools(fs, caps).map((t) => [t.id, t]));
}

describe("ACP-backed file tools", () => {
  it("reads the editor buffer with line numbers and paging", async () => {
    const { fs } = memoryFs({ "/proj/a.txt": "one\ntwo\nthree\n" });
    const res = await tools(fs).read!.execute({ path: "a.txt", offset: 2, limit: 1 }, ctx);
    expect(res.isError).toBeUndefined();
    expect(res.output).toContain("   2| two");
    expect(res.output).toContain("continue with offset 3");
  });

  it("writes through the editor with the absolute path and session id, keeping a diff", async () => {
    const { fs, writes } = memoryFs({ "/proj/a.txt": "old\n" });
    const res = await tools(fs).write!.execute({ path: "a.txt", content: "new\n" }, ctx);
    expect(writes).toEqual([{ sessionId: "s1", path: "/proj/a.txt", content: "new\n" }]);
    expect(res.metadata?.diff).toEqual({ path: "/proj/a.txt", oldText: "old\n", newText: "new\n" });
    expect(res.output).toMatch(/^Wrote a\.txt/);
  });

  it("edits an exact unique match and refuses ambiguous or missing text without writing", async () => {
    const { fs, writes, files } = memoryFs({ "/proj/b.ts": "let x = 1;\nlet y = 1;\n" });
    const edit = tools(fs).edit!;
    const ambiguous = await edit.execute({ path: "b.ts", oldString: "= 1", newString: "= 2" }, ctx);
    expect(ambiguous.isError).toBe(true);
    expect(ambiguous.output).toContain("occurs 2 times");
    const missing = await edit.execute({ path: "b.ts", oldString: "zzz", newString: "q" }, ctx);
    expect(missing.output).toContain("not found");
    expect(writes).toHaveLength(0);
    const ok = await edit.execute({ path: "b.ts", oldString: "let x = 1", newString: "let x = $&2" }, ctx);
    expect(ok.isError).toBeUndefined();
    // `$&` is literal text, not a replacement pattern.
    expect(files["/proj/b.ts"]).toBe("let x = $&2;\nlet y = 1;\n");
    const all = await edit.execute(
      { path: "b.ts", oldString: "let", newString: "const", replaceAll: true },
      ctx,
    );
    expect(all.output).toContain("2 replacements");
  });

  it("reports editor errors to the model instead of throwing", async () => {
    const fs: AcpFileSystem = {
      readTextFile: async () => {
        throw new Error("permission denied by editor");
      },
      writeTextFile: async () => {
        throw new Error("buffer is read-only");
      },
    };
    const t = tools(fs);
    expect((await t.read!.execute({ path: "x" }, ctx)).output).toContain("permission denied by editor");
    const w = await t.write!.execute({ path: "x", content: "y" }, ctx);
    expect(w.isError).toBe(true);
    expect(w.output).toContain("buffer is read-only");
  });

  it("offers only what the client advertised", () => {
    const { fs } = memoryFs({});
    expect(createAcpFileTools(fs, { read: true, write: false }).map((t) => t.id)).toEqual(["read"]);
    expect(createAcpFileTools(fs, { read: false, write: true }).map((t) => t.id)).toEqual(["write"]);
    expect(createAcpFileTools(fs, { read: false, write: false })).toEqual([]);
  });

  it("keeps the permission paths of the local tools (workspace confinement still applies)", () => {
    const { fs } = memoryFs({});
    const write = tools(fs).write!;
    expect(write.kind).toBe("write");
    expect(write.paths?.({ path: "../../etc/passwd", content: "" })).toEqual(["../../etc/passwd"]);
  });
});
