import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

const toolsPkg = path.resolve(import.meta.dirname, "../../../packages/tools");
const tsProject = path.join(toolsPkg, "test/fixtures/lsp/ts-project");
const mcpServer = path.join(toolsPkg, "test/fixtures/mcp/stdio-server.mjs");

const model = useScriptedOpenAI();

describe("codetether run drives lsp, mcp and apply_patch", () => {
  it("definition on a real TS project, an MCP stdio tool, and an apply_patch envelope", async () => {
    const patch = [
      "*** Begin Patch",
      "*** Add File: src/extra.ts",
      "+export const extra = 42;",
      "*** End Patch",
    ].join("\n");
    const server = await model.start([
      {
        toolCalls: [
          { name: "lsp", arguments: { action: "definition", file_path: "src/main.ts", line: 1, column: 10 } },
          { name: "demo_add", arguments: { a: 2, b: 3 } },
        ],
      },
      { toolCalls: [{ name: "apply_patch", arguments: { patch } }] },
      { text: "done" },
    ]);
    const { work, env } = await makeSandbox();
    await fs.cp(tsProject, work, { recursive: true });
    await fs.writeFile(
      path.join(work, "codetether.toml"),
      `[mcp.servers.demo]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(mcpServer)}]\n`,
    );
    // A project's MCP servers start only in a folder the user trusts.
    expect((await runCli(["trust", work], { cwd: work, env })).code).toBe(0);
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "explore"], {
      cwd: work,
      env: {
        ...env,
        OPENAI_API_KEY: "sk-test",
        OPENAI_BASE_URL: server.url,
        // typescript-language-server from the tools package's dev dependencies, as a user would have it on PATH.
        PATH: `${path.join(toolsPkg, "node_modules/.bin")}${path.delimiter}${env.PATH}`,
      },
    });
    expect(res.code).toBe(0);
    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const ends = events.filter((e) => e.type === "tool-end");
    const lsp = ends.find((e) => e.tool === "lsp");
    expect(lsp.result.isError ?? false).toBe(false);
    expect(lsp.result.output).toContain("math.ts");
    const add = ends.find((e) => e.tool === "demo_add");
    expect(add.result.output).toContain("5");
    const patchEnd = ends.find((e) => e.tool === "apply_patch");
    expect(patchEnd.result.isError ?? false).toBe(false);
    expect(await fs.readFile(path.join(work, "src/extra.ts"), "utf8")).toBe("export const extra = 42;\n");
  });
});
