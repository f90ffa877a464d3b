import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ToolRegistry } from "@codetether/core";
import { afterEach, describe, expect, it } from "vitest";
import { createLspTool, LspManager } from "../src/lsp/index.js";
import { context, workspace } from "./helpers.js";

// The lsp tool re-sends every open document that changed on disk before each request, reading it outside the
// sandbox. A document the model opened once and then swapped for a symlink (bash: ln -sf ~/.ssh/id_rsa a.ts) must
// not be read through the link and sent to the server — which the model may have planted itself.

const spyBin = fileURLToPath(new URL("./fixtures/lsp/spy-server", import.meta.url));
const SECRET = "PRIVATE-KEY-5ca1ab1e";
let manager: LspManager | undefined;
afterEach(async () => {
  await manager?.dispose();
  manager = undefined;
});

describe("lsp: documents are read only inside the workspace", () => {
  it("an open document swapped for a symlink to a secret is not re-sent to the server", async () => {
    const ws = await workspace();
    const spy = path.join(ws, "..", "spy.txt");
    const prevSpy = process.env.SPY_FILE;
    process.env.SPY_FILE = spy;
    try {
      const secret = path.join(ws, "..", "id_rsa");
      await fs.writeFile(secret, `${SECRET}\n`);
      await fs.writeFile(path.join(ws, "a.ts"), "export const a = 1;\n");
      await fs.writeFile(path.join(ws, "b.ts"), "export const b = 2;\n");
      // Planted where the lsp tool looks first: the project's node_modules/.bin.
      await fs.mkdir(path.join(ws, "node_modules", ".bin"), { recursive: true });
      await fs.copyFile(
        path.join(spyBin, "typescript-language-server"),
        path.join(ws, "node_modules", ".bin", "typescript-language-server"),
      );
      await fs.chmod(path.join(ws, "node_modules", ".bin", "typescript-language-server"), 0o755);
      manager = new LspManager();
      const registry = new ToolRegistry().register(createLspTool(manager));
      const lsp = (file: string) =>
        registry.execute(
          { id: "c", name: "lsp", arguments: JSON.stringify({ action: "documentSymbol", file_path: file }) },
          context(ws),
        );
      const first = await lsp("a.ts");
      expect(first.isError, first.output).toBeFalsy();
      await fs.rm(path.join(ws, "a.ts"));
      await fs.symlink(secret, path.join(ws, "a.ts"));
      await lsp("b.ts");
      const sent = await fs.readFile(spy, "utf8");
      expect(sent).toContain("export const a = 1;");
      expect(sent).toContain("export const b = 2;");
      expect(sent).not.toContain(SECRET);
    } finally {
      if (prevSpy === undefined) delete process.env.SPY_FILE;
      else process.env.SPY_FILE = prevSpy;
    }
  });
});
