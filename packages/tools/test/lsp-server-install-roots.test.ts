// A sandboxed language server installed outside the workspace (npx, pnpm's global store, a checkout under /tmp)
// must be able to read its own install: the roots given to the sandbox cover the .bin link and the store it
// points into.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { serverInstallRoots } from "../src/lsp/server-install-roots.js";

it("covers the node_modules of the .bin link and of its real path, or the folder above bin", () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ct-lsp-roots-")));
  const store = path.join(dir, "node_modules/.pnpm/tls@1/node_modules/tls/lib");
  fs.mkdirSync(store, { recursive: true });
  fs.writeFileSync(path.join(store, "cli.mjs"), "");
  const bin = path.join(dir, "packages/tools/node_modules/.bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(path.join(store, "cli.mjs"), path.join(bin, "tls"));
  expect(serverInstallRoots(path.join(bin, "tls")).sort()).toEqual(
    [path.join(dir, "node_modules"), path.join(dir, "packages/tools/node_modules")].sort(),
  );

  fs.mkdirSync(path.join(dir, "opt/server/bin"), { recursive: true });
  fs.writeFileSync(path.join(dir, "opt/server/bin/pylsp"), "");
  expect(serverInstallRoots(path.join(dir, "opt/server/bin/pylsp"))).toEqual([path.join(dir, "opt/server")]);
  expect(serverInstallRoots("pylsp")).toEqual([]);
  expect(serverInstallRoots(path.join(dir, "missing"))).toEqual([]);
});
