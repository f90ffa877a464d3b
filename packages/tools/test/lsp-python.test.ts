import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ToolRegistry } from "@codetether/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLspTool, LspManager } from "../src/lsp/index.js";
import { toolContext } from "./web-helpers.js";

/** A second language through the same client: pyright-langserver (npm dev dependency) on a tiny package. */
const fixture = fileURLToPath(new URL("./fixtures/lsp/py-project", import.meta.url));
const binDir = fileURLToPath(new URL("../node_modules/.bin", import.meta.url));

let root: string;
let manager: LspManager;
let registry: ToolRegistry;
const lsp = (args: Record<string, unknown>) =>
  registry.execute(
    { id: "c", name: "lsp", arguments: JSON.stringify(args) },
    toolContext({ cwd: root, workspaceRoot: root }),
  );

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "ct-lsp-py-")));
  await fs.cp(fixture, root, { recursive: true });
  // Only our bin dir: the test must use pyright even where pylsp is installed.
  manager = new LspManager({
    extraBinDirs: [binDir],
    servers: { python: { command: "pyright-langserver", args: ["--stdio"] } },
  });
  registry = new ToolRegistry().register(createLspTool(manager));
});

afterAll(async () => {
  await manager?.dispose();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe("lsp with pyright", () => {
  it("resolves a definition across modules and reports a type error after an edit", async () => {
    const definition = await lsp({ action: "definition", file_path: "app/main.py", line: 5, column: 12 });
    expect(definition.isError, definition.output).toBeFalsy();
    expect(definition.output).toContain(
      "app/geometry.py:1:5: def scale(value: float, factor: float) -> float:",
    );

    const file = path.join(root, "app/main.py");
    await fs.appendFile(file, '\n\ndef broken() -> float:\n    return scale("a", 1.0)\n');
    const diagnostics = await lsp({ action: "diagnostics", file_path: "app/main.py" });
    expect(diagnostics.output).toMatch(/app\/main\.py:9:18: error/);
    expect(diagnostics.output).toContain('"Literal[\'a\']" is not assignable to "float"');
  });
});
