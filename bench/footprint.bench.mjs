// Footprint: what `npm i -g codetether` puts on disk (the packed CLI tarball installed into a temp prefix), and
// what the llama.cpp CPU runtime adds when `codetether models --pull` installs it into the data dir (a real install
// from the npm registry; the model is a generated tiny GGUF, so no model download is counted). Sizes are the disk
// usage of the installed trees as `du` counts it (allocated blocks), measured, never typed.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./lib/paths.mjs";

const MB = 1e6;

/** Disk usage of a tree in bytes, as `du` counts it (allocated 512-byte blocks; symlinks are not followed). */
function treeBytes(dir) {
  let total = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      total += st.blocks * 512;
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return total;
}

function one(bytes) {
  const mb = bytes / MB;
  return { n: 1, min: mb, median: mb, p99: mb, max: mb };
}

function must(res, what) {
  if (res.status !== 0) throw new Error(`${what} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  return res;
}

export async function run() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ct-footprint-"));
  try {
    const cliDir = path.join(root, "apps/cli");
    if (!fs.existsSync(path.join(cliDir, "dist/bin.cjs")))
      throw new Error("apps/cli is not built: run `pnpm build`.");
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", tmp], {
      cwd: cliDir,
      encoding: "utf8",
    });
    const tarball = path.join(tmp, packed.trim().split("\n").at(-1));
    const prefix = path.join(tmp, "global");
    const npmEnv = { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" };
    must(
      spawnSync(
        "npm",
        ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", tarball],
        {
          encoding: "utf8",
          env: npmEnv,
        },
      ),
      "npm i -g <packed codetether>",
    );
    const installed = treeBytes(path.join(prefix, "lib", "node_modules"));

    // The runtime, as a user gets it: `codetether models --pull` with no key, into a fresh data dir.
    const data = path.join(tmp, "data");
    const model = path.join(tmp, "tiny.gguf");
    const testing = await import(pathToFileURL(path.join(root, "packages/testing/dist/index.js")).href);
    await testing.writeTinyGguf(model, {});
    const bin = path.join(prefix, "bin", "codetether");
    must(
      spawnSync(bin, ["models", "--pull", "--yes"], {
        encoding: "utf8",
        env: { ...process.env, CODETETHER_DATA_DIR: data, CODETETHER_LOCAL_MODEL: model, NO_COLOR: "1" },
        timeout: 600_000,
      }),
      "codetether models --pull",
    );
    const runtime = treeBytes(path.join(data, "runtime"));
    return {
      rows: [
        {
          metric: "npm i -g codetether (installed)",
          unit: " MB",
          subject: one(installed),
          target: "≤ 60 MB",
        },
        {
          metric: "+ llama.cpp CPU runtime (models --pull)",
          unit: " MB",
          subject: one(runtime),
          target: "≤ 100 MB",
        },
      ],
      notes: [`footprint: packed tarball ${(fs.statSync(tarball).size / MB).toFixed(1)} MB`],
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
