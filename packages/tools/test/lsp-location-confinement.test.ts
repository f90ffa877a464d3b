import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { LocationFormatter } from "../src/lsp/lsp-format.js";
import { workspace } from "./helpers.js";

// The lsp tool quotes the source line of every location a language server returns, reading it from disk outside
// the sandbox. A language server the sandboxed model planted (node_modules/.bin) can return any location — say
// ~/.ssh/id_rsa, line after line: only files inside the workspace roots are quoted.

const at = (file: string, line: number) => ({
  uri: pathToFileURL(file).href,
  range: { start: { line, character: 0 }, end: { line, character: 1 } },
});

describe("LocationFormatter quotes lines only from files inside the roots", () => {
  it("names a location outside the workspace without reading it", async () => {
    const ws = await workspace();
    const secret = path.join(ws, "..", "id_rsa");
    await fs.writeFile(secret, "-----BEGIN KEY-----\nSECRET-LINE-77aa\n");
    const format = new LocationFormatter(ws, () => undefined);
    const out = format.locations([at(secret, 1)], "definition");
    expect(out).toContain("id_rsa:2:1");
    expect(out).not.toContain("SECRET-LINE-77aa");
  });

  it("nor through a symlink inside the workspace", async () => {
    const ws = await workspace();
    const secret = path.join(ws, "..", "id_rsa");
    await fs.writeFile(secret, "SECRET-LINE-88bb\n");
    await fs.symlink(secret, path.join(ws, "link.ts"));
    const out = new LocationFormatter(ws, () => undefined).location(at(path.join(ws, "link.ts"), 0));
    expect(out).not.toContain("SECRET-LINE-88bb");
  });

  it("quotes workspace files and extra roots as before", async () => {
    const ws = await workspace();
    await fs.writeFile(path.join(ws, "a.ts"), "export const a = 1;\n");
    const extra = path.join(ws, "..", "shared");
    await fs.mkdir(extra);
    await fs.writeFile(path.join(extra, "b.ts"), "export const b = 2;\n");
    const format = new LocationFormatter(ws, () => undefined, [ws, extra]);
    expect(format.location(at(path.join(ws, "a.ts"), 0))).toContain("export const a = 1;");
    expect(format.location(at(path.join(extra, "b.ts"), 0))).toContain("export const b = 2;");
  });
});
