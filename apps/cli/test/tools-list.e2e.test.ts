import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { securityBox } from "./security-helpers.js";

const mcpServer = path.resolve(
  import.meta.dirname,
  "../../../packages/tools/test/fixtures/mcp/stdio-server.mjs",
);

interface ToolRow {
  name: string;
  source: string;
  kind: string;
  permission: string;
  planMode: string;
}

describe("codetether tools list (built binary)", () => {
  it("lists every tool the agent would get here, with its source and what the permission rules allow", async () => {
    const box = await securityBox();
    const cli = (args: string[]) => runCli(args, { cwd: box.work, env: box.env });
    const keygen = await cli(["tools", "keygen"]);
    const publicKey = /public key:\s+(ed25519:\S+)/.exec(keygen.stdout)?.[1] as string;
    const plugin = path.join(box.dir, "plugins", "greet");
    await fs.mkdir(plugin, { recursive: true });
    await fs.writeFile(
      path.join(plugin, "index.mjs"),
      `export default { id: "greet", description: "Greets.", kind: "read",
         parameters: { type: "object", properties: {} }, async execute() { return { output: "hi" }; } };\n`,
    );
    await fs.writeFile(
      path.join(plugin, "manifest.json"),
      JSON.stringify({
        id: "greet",
        version: "1.0.0",
        description: "Greets.",
        entry: "index.mjs",
        permissions: ["read"],
        sandbox: { network: "deny" },
      }),
    );
    expect((await cli(["tools", "sign", plugin])).code).toBe(0);
    await fs.writeFile(
      path.join(box.configDir, "config.toml"),
      [
        "[tools]",
        `plugin_dirs = [${JSON.stringify(path.dirname(plugin))}]`,
        `trusted_keys = [${JSON.stringify(publicKey)}]`,
        "[mcp.servers.demo]",
        `command = ${JSON.stringify(process.execPath)}`,
        `args = [${JSON.stringify(mcpServer)}]`,
        "[permissions]",
        'rules = [{ tool = "bash", action = "deny" }, { tool = "write", action = "ask" }, { tool = "edit", path = ".env*", action = "deny" }]',
        "",
      ].join("\n"),
    );

    const json = await cli(["tools", "list", "--json"]);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as ToolRow[];
    const row = (name: string) => rows.find((r) => r.name === name);
    expect(row("read")).toMatchObject({
      source: "builtin",
      kind: "read",
      permission: "allow",
      planMode: "allowed",
    });
    expect(row("bash")).toMatchObject({ source: "builtin", kind: "exec", permission: "deny" });
    expect(row("write")).toMatchObject({ permission: "ask", planMode: "blocked" });
    expect(row("edit")).toMatchObject({ permission: "allow (deny on some paths)" });
    expect(row("demo_add")).toMatchObject({ source: "mcp:demo", kind: "read" });
    expect(row("greet")).toMatchObject({ source: "plugin:greet", kind: "read", permission: "allow" });
    // Non-interactive runs have no question tool; the TUI does.
    expect(row("question")).toBeUndefined();

    const text = await cli(["tools", "list"]);
    expect(text.code).toBe(0);
    const bashLine = text.stdout.split("\n").find((l) => l.startsWith("bash "));
    expect(bashLine).toMatch(/^bash\s+builtin\s+exec\s+deny\s+blocked$/);
    expect(text.stdout).toMatch(/^demo_add\s+mcp:demo\s+read\s+allow\s+allowed$/m);
  });
});
