import fs from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { auditRecords, bundleEchoPlugin, securityBox } from "./security-helpers.js";

const model = useScriptedOpenAI();

let bundled: string;
beforeAll(async () => {
  const out = path.join(await fs.mkdtemp(path.join((await import("node:os")).tmpdir(), "ct-echo-")), "e.mjs");
  bundled = await fs.readFile(bundleEchoPlugin(out), "utf8");
});

const manifestDraft = (id: string) =>
  JSON.stringify({
    id,
    version: "1.0.0",
    description: "Echoes its input.",
    entry: "index.mjs",
    permissions: ["read"],
    sandbox: { network: "deny" },
  });

/** A plugin dir whose entry writes `marker` when it is imported, so a refused plugin that ran is caught. */
async function pluginDir(root: string, name: string, marker: string) {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { recursive: true });
  const sideEffect = `import { writeFileSync as __w } from "node:fs"; __w(${JSON.stringify(marker)}, "ran");\n`;
  await fs.writeFile(path.join(dir, "index.mjs"), sideEffect + bundled);
  await fs.writeFile(path.join(dir, "manifest.json"), manifestDraft("echo"));
  return dir;
}

describe("signed plugin tools through codetether tools and run (built binary)", () => {
  it("a signed, trusted plugin is callable by the model; tampered and untrusted ones are refused and never run", async () => {
    const box = await securityBox();
    const env = box.env;
    const cli = (args: string[], input?: string) =>
      runCli(args, { cwd: box.work, env, ...(input !== undefined ? { input } : {}) });

    // Publisher: keygen + sign. An "other" key signs a plugin nobody trusts.
    const keygen = await cli(["tools", "keygen"]);
    expect(keygen.code).toBe(0);
    const publicKey = /public key:\s+(ed25519:\S+)/.exec(keygen.stdout)?.[1] as string;
    expect(publicKey).toBeTruthy();
    expect((await fs.stat(path.join(box.configDir, "keys", "tool-signing.pem"))).mode & 0o777).toBe(0o600);
    expect((await cli(["tools", "keygen"])).code).toBe(1); // never silently replaces a key
    const otherKey = path.join(box.dir, "other.pem");
    expect((await cli(["tools", "keygen", "--out", otherKey])).code).toBe(0);

    const plugins = path.join(box.dir, "plugins");
    const markers = path.join(box.dir, "markers");
    await fs.mkdir(markers);
    const good = await pluginDir(plugins, "a-good", path.join(markers, "good"));
    const tampered = await pluginDir(
      path.join(box.dir, "plugins2"),
      "b-tampered",
      path.join(markers, "tampered"),
    );
    const untrusted = await pluginDir(
      path.join(box.dir, "plugins3"),
      "c-untrusted",
      path.join(markers, "untrusted"),
    );
    expect((await cli(["tools", "sign", good])).code).toBe(0);
    expect((await cli(["tools", "sign", tampered])).code).toBe(0);
    expect((await cli(["tools", "sign", untrusted, "--key", otherKey])).code).toBe(0);
    const entry = path.join(tampered, "index.mjs");
    await fs.writeFile(entry, `${await fs.readFile(entry, "utf8")}\n// changed after signing\n`);

    // Not trusted yet: verify refuses. Then trust and verify again.
    const before = await cli(["tools", "verify", good]);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain("REFUSED");
    expect((await cli(["tools", "trust", publicKey])).code).toBe(0);
    const after = await cli(["tools", "verify", good]);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^OK echo@1\.0\.0 signed by/);
    expect((await cli(["tools", "verify", tampered])).code).toBe(1);
    expect((await cli(["tools", "verify", untrusted])).code).toBe(1);

    const dirs = JSON.stringify([plugins, tampered, untrusted]);
    expect((await cli(["config", "--set", `tools.plugin_dirs=${dirs}`])).code).toBe(0);
    const server = await model.start([
      { toolCalls: [{ name: "echo", arguments: { text: "from the model" } }] },
      { text: "the plugin answered" },
    ]);
    const runEnv = { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
    const run = await runCli(["run", "--json", "--model", "openai/gpt-4o", "use echo"], {
      cwd: box.work,
      env: runEnv,
    });
    expect(run.code).toBe(0);
    const refusedLines = run.stderr.split("\n").filter((l) => l.startsWith("codetether: plugin refused:"));
    expect(refusedLines).toHaveLength(2);
    expect(refusedLines[0]).toContain(tampered);
    expect(refusedLines[1]).toContain(untrusted);
    const events = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const echoEnd = events.find((e) => e.type === "tool-end" && e.tool === "echo");
    expect(echoEnd.result.output).toBe("echo: from the model");
    // The model was offered the plugin tool.
    const firstBody = server.requests.find((r) => r.path.endsWith("/chat/completions"))?.body as {
      tools: Array<{ function: { name: string } }>;
    };
    expect(firstBody.tools.map((t) => t.function.name)).toContain("echo");

    await expect(fs.access(path.join(markers, "good"))).resolves.toBeUndefined();
    await expect(fs.access(path.join(markers, "tampered"))).rejects.toThrow();
    await expect(fs.access(path.join(markers, "untrusted"))).rejects.toThrow();

    const records = await auditRecords(box.auditDir);
    const refused = records.filter((r) => r.action === "plugin.refused").map((r) => r.resource);
    expect(refused).toEqual([tampered, untrusted]);
    expect(records.some((r) => r.action === "plugin.loaded" && r.resource === good)).toBe(true);
    expect(
      records.some((r) => r.action === "tool.execute" && r.resource === "echo" && r.outcome === "success"),
    ).toBe(true);
  });

  it("a plugin may not replace a built-in tool", async () => {
    const box = await securityBox();
    const keygen = await runCli(["tools", "keygen"], { cwd: box.work, env: box.env });
    const publicKey = /public key:\s+(ed25519:\S+)/.exec(keygen.stdout)?.[1] as string;
    const dir = path.join(box.dir, "plugins", "bash");
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "index.mjs"), bundled.replaceAll('"echo"', '"bash"'));
    await fs.writeFile(path.join(dir, "manifest.json"), manifestDraft("bash"));
    expect((await runCli(["tools", "sign", dir], { cwd: box.work, env: box.env })).code).toBe(0);
    await fs.writeFile(
      path.join(box.configDir, "config.toml"),
      `[tools]\nplugin_dirs = [${JSON.stringify(path.dirname(dir))}]\ntrusted_keys = [${JSON.stringify(publicKey)}]\n`,
    );
    const server = await model.start([
      { toolCalls: [{ name: "bash", arguments: { command: "echo real-bash", description: "x" } }] },
      { text: "ok" },
    ]);
    const run = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "hi"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('tool id "bash" is a built-in tool');
    const end = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((e) => e.type === "tool-end");
    expect(end.result.output).toContain("real-bash");
  });
});
