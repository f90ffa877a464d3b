import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RuleGate, ToolRegistry } from "@codetether/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLspTool, LANGUAGES, LspManager, resolveServer } from "../src/lsp/index.js";
import { toolContext } from "./web-helpers.js";

const fixture = fileURLToPath(new URL("./fixtures/lsp/ts-project", import.meta.url));
const binDir = fileURLToPath(new URL("../node_modules/.bin", import.meta.url));

let root: string;
let manager: LspManager;
let registry: ToolRegistry;

const lsp = (args: Record<string, unknown>) =>
  registry.execute(
    { id: "c", name: "lsp", arguments: JSON.stringify(args) },
    toolContext({ cwd: root, workspaceRoot: root }),
  );

/** 1-based column of `needle` on 1-based `line` of a project file. */
async function col(file: string, line: number, needle: string): Promise<number> {
  const text = (await fs.readFile(path.join(root, file), "utf8")).split("\n")[line - 1]!;
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not on line ${line} of ${file}`);
  return index + 1;
}

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "ct-lsp-")));
  await fs.cp(fixture, root, { recursive: true });
  manager = new LspManager({ extraBinDirs: [binDir] });
  registry = new ToolRegistry().register(createLspTool(manager));
});

afterAll(async () => {
  await manager?.dispose();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe("lsp with typescript-language-server", () => {
  it("finds a definition in another file", async () => {
    const result = await lsp({
      action: "definition",
      file_path: "src/main.ts",
      line: 5,
      column: await col("src/main.ts", 5, "add("),
    });
    expect(result.isError, result.output).toBeFalsy();
    expect(result.output).toContain("src/math.ts:2:17: export function add(a: number, b: number): number {");
  });

  it("finds references across files", async () => {
    const result = await lsp({
      action: "references",
      file_path: "src/math.ts",
      line: 2,
      column: await col("src/math.ts", 2, "add"),
    });
    expect(result.isError, result.output).toBeFalsy();
    expect(result.output).toContain("4 references");
    for (const where of ["src/math.ts:2:", "src/main.ts:1:", "src/main.ts:5:", "src/main.ts:8:"]) {
      expect(result.output).toContain(where);
    }
    const withoutDeclaration = await lsp({
      action: "references",
      file_path: "src/math.ts",
      line: 2,
      column: 17,
      include_declaration: false,
    });
    expect(withoutDeclaration.output).toContain("3 references");
  });

  it("hovers, lists symbols, finds implementations and completions", async () => {
    const hover = await lsp({ action: "hover", file_path: "src/main.ts", line: 1, column: 10 });
    expect(hover.output).toContain("function add(a: number, b: number): number");
    expect(hover.output).toContain("Adds two numbers.");

    const symbols = await lsp({ action: "documentSymbol", file_path: "src/shapes.ts" });
    expect(symbols.output).toMatch(/interface Shape \(line 3\)/);
    expect(symbols.output).toMatch(/class Circle \(line 7\)/);
    expect(symbols.output).toMatch(/ {2}method area/);

    const impl = await lsp({
      action: "implementation",
      file_path: "src/shapes.ts",
      line: 3,
      column: await col("src/shapes.ts", 3, "Shape"),
    });
    expect(impl.output).toContain("src/shapes.ts:7:");

    const workspace = await lsp({ action: "workspaceSymbol", file_path: "src/main.ts", query: "Circle" });
    expect(workspace.output).toMatch(/class Circle.*src\/shapes\.ts:7/);

    const completion = await lsp({
      action: "completion",
      file_path: "src/main.ts",
      line: 5,
      column: (await col("src/main.ts", 5, "shape.area")) + "shape.".length,
    });
    expect(completion.output).toMatch(/^area \(method\)/m);
  });

  it("reports diagnostics after edits and keeps one warm server", async () => {
    const clean = await lsp({ action: "diagnostics", file_path: "src/main.ts" });
    expect(clean.output).toBe("No diagnostics in src/main.ts.");

    const file = path.join(root, "src/main.ts");
    const original = await fs.readFile(file, "utf8");
    await fs.writeFile(file, `${original}\nexport const bad: string = add(1, 2);\n`);
    const broken = await lsp({ action: "diagnostics", file_path: "src/main.ts" });
    expect(broken.output).toContain("1 diagnostic:");
    expect(broken.output).toMatch(
      /src\/main\.ts:11:14: error typescript\(2322\): Type 'number' is not assignable to type 'string'/,
    );
    expect(broken.metadata?.errors).toBe(1);

    await fs.writeFile(file, original);
    const fixed = await lsp({ action: "diagnostics", file_path: "src/main.ts" });
    expect(fixed.output).toBe("No diagnostics in src/main.ts.");
    expect(manager.size).toBe(1);
  });

  it("rejects bad input with actionable errors", async () => {
    const noPosition = await lsp({ action: "definition", file_path: "src/main.ts" });
    expect(noPosition.output).toContain('line is required for action "definition"');
    const zero = await lsp({ action: "hover", file_path: "src/main.ts", line: 0, column: 1 });
    expect(zero.output).toContain("line is 1-based");
    const noQuery = await lsp({ action: "workspaceSymbol", file_path: "src/main.ts" });
    expect(noQuery.output).toContain("query is required");
    const badAction = await lsp({ action: "rename", file_path: "src/main.ts" });
    expect(badAction.isError).toBe(true);
    const missing = await lsp({ action: "documentSymbol", file_path: "src/nope.ts" });
    expect(missing.output).toContain("File not found: src/nope.ts");
    const pastEnd = await lsp({ action: "hover", file_path: "src/main.ts", line: 500, column: 1 });
    expect(pastEnd.output).toContain("line 500 is past the end");
    await fs.writeFile(path.join(root, "notes.xyz"), "hello");
    const unknown = await lsp({ action: "documentSymbol", file_path: "notes.xyz" });
    expect(unknown.output).toContain('No language server is known for ".xyz" files');
  });

  it("is confined to the workspace by the permission gate", async () => {
    const outside = path.join(os.tmpdir(), "ct-lsp-outside.ts");
    await fs.writeFile(outside, "export const secret = 1;\n");
    try {
      const gated = new ToolRegistry({ gate: new RuleGate() }).register(createLspTool(manager));
      const result = await gated.execute(
        { id: "g", name: "lsp", arguments: JSON.stringify({ action: "documentSymbol", file_path: outside }) },
        toolContext({ cwd: root, workspaceRoot: root }),
      );
      expect(result.isError).toBe(true);
      expect(result.metadata?.error).toBe("permission_denied");
      expect(result.output).not.toContain("secret");
    } finally {
      await fs.rm(outside, { force: true });
    }
  });

  it("says what to install when no server is present", async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = root;
    try {
      const rust = LANGUAGES.find((l) => l.language === "rust")!;
      const result = await resolveServer(rust, root, {});
      expect(result).toEqual({
        error:
          "No rust language server is installed. Install rust-analyzer (rustup component add rust-analyzer), " +
          "make sure it is on PATH, then retry.",
      });
      const python = LANGUAGES.find((l) => l.language === "python")!;
      const py = await resolveServer(python, root, {});
      expect("error" in py && py.error).toContain("pyright-langserver (npm install -g pyright) or pylsp");
    } finally {
      process.env.PATH = savedPath;
    }
    const custom = new LspManager({ servers: { typescript: { command: "no-such-lsp-binary", args: [] } } });
    const tool = new ToolRegistry().register(createLspTool(custom));
    const result = await tool.execute(
      { id: "x", name: "lsp", arguments: '{"action":"documentSymbol","file_path":"src/main.ts"}' },
      toolContext({ cwd: root, workspaceRoot: root }),
    );
    expect(result.output).toContain(
      'The configured typescript language server "no-such-lsp-binary" was not found',
    );
    expect(result.metadata?.error).toBe("no_server");
  });

  it("replaces a server that died", async () => {
    const file = path.join(root, "src/math.ts");
    const first = await manager.sessionFor(file, root);
    process.kill(first.client.pid!, "SIGKILL");
    await vi.waitFor(() => expect(first.client.alive).toBe(false));
    const result = await lsp({ action: "hover", file_path: "src/main.ts", line: 1, column: 10 });
    expect(result.output).toContain("function add(a: number, b: number): number");
    const second = await manager.sessionFor(file, root);
    expect(second.client).not.toBe(first.client);
    expect(second.client.alive).toBe(true);
  });

  it("is part of createDefaultTools when the host passes a manager", async () => {
    const { createDefaultTools } = await import("../src/index.js");
    const lspTool = createDefaultTools({ lsp: manager }).find((t) => t.id === "lsp");
    expect(lspTool?.kind).toBe("read");
  });

  it("shuts servers down on dispose", async () => {
    const own = new LspManager({ extraBinDirs: [binDir] });
    const session = await own.sessionFor(path.join(root, "src/math.ts"), root);
    expect(session.client.alive).toBe(true);
    await own.dispose();
    expect(session.client.alive).toBe(false);
    await expect(own.sessionFor(path.join(root, "src/math.ts"), root)).rejects.toThrow(/disposed/);
  });
});
