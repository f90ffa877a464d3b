import fs from "node:fs";
import path from "node:path";
import type { ToolContext } from "@codetether/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AuditLog,
  generateKeyPair,
  loadPluginTools,
  redactText,
  signBuiltinToolsManifest,
  signManifest,
  type ToolManifestDraft,
  toolsKeygen,
  toolsSign,
  toolsTrust,
  toolsVerify,
  verifyToolDir,
} from "../src/index.js";
import { bundleForNode } from "./bundle.js";
import { tempDir } from "./helpers.js";

const draft: ToolManifestDraft = {
  id: "echo",
  version: "1.0.0",
  description: "Echoes its input.",
  entry: "index.mjs",
  permissions: ["read"],
  sandbox: { network: "deny" },
};
let bundled: string;
const keys = generateKeyPair();

beforeAll(async () => {
  bundled = fs.readFileSync(
    await bundleForNode(path.join(import.meta.dirname, "fixtures/plugin-echo.ts")),
    "utf8",
  );
});

async function signedPlugin(root = tempDir(), name = "echo", key = keys.privateKey): Promise<string> {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, "lib"), { recursive: true });
  fs.writeFileSync(path.join(dir, "index.mjs"), bundled);
  fs.writeFileSync(path.join(dir, "lib", "data.txt"), "hello");
  await signManifest(dir, key, draft);
  return dir;
}

const ctx = { cwd: "/", workspaceRoot: "/", signal: new AbortController().signal } as ToolContext;

describe("signed tool manifests", () => {
  it("signs and verifies a tool directory, then loads the plugin tool", async () => {
    const dir = await signedPlugin();
    const verified = await verifyToolDir(dir, [keys.publicKey]);
    expect(verified.ok).toBe(true);
    if (verified.ok)
      expect(Object.keys(verified.manifest.files).sort()).toEqual(["index.mjs", "lib/data.txt"]);
    const auditDir = tempDir();
    const audit = await AuditLog.open({ dir: auditDir, fsync: "never" });
    const { tools, refused, plugins } = await loadPluginTools([path.dirname(dir)], {
      trustedKeys: [keys.publicKey],
      audit,
    });
    expect(refused).toEqual([]);
    expect(plugins[0]!.sandbox).toEqual({ network: "deny" });
    expect(await tools[0]!.execute({ text: "hi" }, ctx)).toEqual({ output: "echo: hi" });
    expect((await audit.query({ action: "plugin.loaded" })).records).toHaveLength(1);
    await audit.close();
  });

  const attacks: Record<string, (dir: string) => void | Promise<void>> = {
    "modified entry file": (dir) => fs.appendFileSync(path.join(dir, "index.mjs"), "\nprocess.exit(1);"),
    "modified data file": (dir) => fs.writeFileSync(path.join(dir, "lib", "data.txt"), "HELLO"),
    "deleted listed file": (dir) => fs.rmSync(path.join(dir, "lib", "data.txt")),
    "edited manifest": (dir) => {
      const file = path.join(dir, "manifest.json");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"read"', '"exec"'));
    },
    "forged signature": (dir) => {
      const file = path.join(dir, "manifest.sig");
      const sig = JSON.parse(fs.readFileSync(file, "utf8"));
      sig.signature = Buffer.alloc(64, 1).toString("base64");
      fs.writeFileSync(file, JSON.stringify(sig));
    },
    unsigned: (dir) => fs.rmSync(path.join(dir, "manifest.sig")),
    "re-signed by an untrusted key": async (dir) => {
      await signManifest(dir, generateKeyPair().privateKey, draft);
    },
    "untrusted key claiming a trusted public key": async (dir) => {
      const other = generateKeyPair();
      await signManifest(dir, other.privateKey, draft);
      const file = path.join(dir, "manifest.sig");
      const sig = JSON.parse(fs.readFileSync(file, "utf8"));
      sig.public_key = keys.publicKey;
      fs.writeFileSync(file, JSON.stringify(sig));
    },
    "extra unlisted module": (dir) =>
      fs.writeFileSync(path.join(dir, "evil.cjs"), "require('child_process')"),
    "extra unlisted executable": (dir) =>
      fs.writeFileSync(path.join(dir, "lib", "run"), "#!/bin/sh\n", { mode: 0o755 }),
    "listed file replaced by a symlink": (dir) => {
      fs.rmSync(path.join(dir, "lib", "data.txt"));
      fs.symlinkSync("/etc/passwd", path.join(dir, "lib", "data.txt"));
    },
  };

  for (const [name, attack] of Object.entries(attacks)) {
    it(`refuses and audits a plugin with: ${name}`, async () => {
      const dir = await signedPlugin();
      await attack(dir);
      const verified = await verifyToolDir(dir, [keys.publicKey]);
      expect(verified.ok).toBe(false);
      const audit = await AuditLog.open({ dir: tempDir(), fsync: "never" });
      const { tools, refused } = await loadPluginTools([dir], { trustedKeys: [keys.publicKey], audit });
      expect(tools).toEqual([]);
      expect(refused).toHaveLength(1);
      const records = (await audit.query({ action: "plugin.refused" })).records;
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        outcome: "denied",
        resource: dir,
        details: { reason: redactText(refused[0]!.reason) },
      });
      await audit.close();
    });
  }

  it("refuses a tool whose kind exceeds the manifest permissions, and a manifest path escaping the dir", async () => {
    const root = tempDir();
    const dir = path.join(root, "echo");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "index.mjs"), bundled.replace('kind: "read"', 'kind: "exec"'));
    await signManifest(dir, keys.privateKey, draft);
    const { refused } = await loadPluginTools([dir], { trustedKeys: [keys.publicKey] });
    expect(refused[0]!.reason).toMatch(/kind "exec" is not among/);
    await expect(signManifest(dir, keys.privateKey, { ...draft, entry: "../x.mjs" })).rejects.toThrow(
      /relative path/,
    );
  });

  it("signs the built-in tools dist directory", async () => {
    const pkg = tempDir();
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ version: "1.2.3" }));
    fs.mkdirSync(path.join(pkg, "dist"));
    fs.writeFileSync(path.join(pkg, "dist", "index.js"), "export const tools = [];");
    const { manifest } = await signBuiltinToolsManifest({
      distDir: path.join(pkg, "dist"),
      privateKey: keys.privateKey,
    });
    expect(manifest).toMatchObject({ id: "@codetether/tools", version: "1.2.3" });
    expect((await verifyToolDir(path.join(pkg, "dist"), [keys.publicKey])).ok).toBe(true);
  });

  it("CLI logic: keygen, sign, verify (refused until trusted), trust", async () => {
    const configDir = tempDir();
    let out = "";
    let err = "";
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
    expect(await toolsKeygen({ configDir }, io)).toBe(0);
    const publicKey = /public key:\s+(\S+)/.exec(out)![1]!;
    expect(fs.statSync(path.join(configDir, "keys", "tool-signing.pem")).mode & 0o777).toBe(0o600);
    expect(out).not.toContain("PRIVATE KEY");
    expect(await toolsKeygen({ configDir }, io)).toBe(1);
    expect(err).toMatch(/already exists/);

    const dir = await signedPlugin();
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(draft));
    fs.rmSync(path.join(dir, "manifest.sig"));
    expect(await toolsSign({ configDir, dir }, io)).toBe(0);
    expect(await toolsVerify({ configDir, dir }, io)).toBe(1);
    expect(err).toMatch(/untrusted key/);
    expect(await toolsTrust({ configDir, publicKey: "ed25519:bm9wZQ==" }, io)).toBe(1);
    expect(err).toMatch(/32 bytes/);
    expect(await toolsTrust({ configDir, publicKey }, io)).toBe(0);
    expect(await toolsVerify({ configDir, dir }, io)).toBe(0);
    expect(out).toMatch(/OK echo@1.0.0/);
    expect(await toolsSign({ configDir: tempDir(), dir }, io)).toBe(1);
    expect(err).toMatch(/tools keygen/);
  });
});
