// A sandboxed language server installed outside the workspace (npx, pnpm's global store, a checkout under /tmp)
// must be able to read its own install: the roots given to the sandbox cover the .bin link and the store it
// points into.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { serverInstallRoots } from "../src/lsp/server-install-roots.js";

it("covers the node_modules of the .bin link and of its real path, (every node_modules on the resolution path)", () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ct-lsp-roots-")));
  const store = path.join(dir, "node_modules/.pnpm/tls@1/node_modules/tls/lib");
  fs.mkdirSync(store, { recursive: true });
  fs.writeFileSync(path.join(store, "cli.mjs"), "");
  const bin = path.join(dir, "packages/tools/node_modules/.bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(path.join(store, "cli.mjs"), path.join(bin, "tls"));
  const roots = serverInstallRoots(path.join(bin, "tls"));
  expect(roots).toContain(path.join(dir, "node_modules"));
  expect(roots).toContain(path.join(dir, "packages/tools/node_modules"));
  // pnpm's .bin entry is a script (not a link) that runs the package from the root store: still covered.
  fs.rmSync(path.join(bin, "tls"));
  fs.writeFileSync(path.join(bin, "tls"), "#!/bin/sh\n");
  expect(serverInstallRoots(path.join(bin, "tls"))).toContain(path.join(dir, "node_modules"));

  fs.mkdirSync(path.join(dir, "opt/server/bin"), { recursive: true });
  fs.writeFileSync(path.join(dir, "opt/server/bin/pylsp"), "");
  expect(serverInstallRoots(path.join(dir, "opt/server/bin/pylsp"))).toContain(
    path.join(dir, "node_modules"),
  );
  expect(serverInstallRoots("pylsp")).toEqual([]);
  expect(serverInstallRoots(path.join(dir, "missing"))).toEqual([]);
});
