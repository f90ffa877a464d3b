import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { auditRecords, readTree, securityBox } from "./security-helpers.js";

const model = useScriptedOpenAI();

const KEY = "sk-audit-test-0123456789abcdef";

describe("audit trail of codetether run, audit verify / query (built binary)", () => {
  it("records session, permission decisions and tool executions in a chain that verifies; tampering is named", async () => {
    const server = await model.start([
      { toolCalls: [{ name: "bash", arguments: { command: "echo audited-output", description: "echo" } }] },
      { toolCalls: [{ name: "read", arguments: { path: "missing.txt" } }] },
      { text: "done" },
      { text: "again" },
    ]);
    const box = await securityBox();
    const env = { ...box.env, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
    const run = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "audit me"], {
      cwd: box.work,
      env,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const sessionId = JSON.parse(run.stdout.trim().split("\n").at(-1) as string).sessionId as string;

    const records = await auditRecords(box.auditDir);
    const summary = records.map((r) => `${r.action} ${r.resource} ${r.outcome}`);
    expect(summary).toContain(`session.created ${sessionId} success`);
    expect(summary).toContain("permission.decision bash allowed");
    expect(summary).toContain("tool.start bash started");
    expect(summary).toContain("tool.execute bash success");
    expect(summary).toContain("tool.execute read failure");
    const bashStart = records.find((r) => r.action === "tool.start" && r.resource === "bash");
    expect(bashStart?.actor).toBe(`agent:${sessionId}`);
    expect(JSON.stringify(bashStart?.details)).toContain("echo audited-output");
    // The decision is written before the execution it allowed.
    expect(summary.indexOf("permission.decision bash allowed")).toBeLessThan(
      summary.indexOf("tool.start bash started"),
    );

    // A continued session is audited as such.
    const again = await runCli(["run", "-c", "--model", "openai/gpt-4o", "more"], { cwd: box.work, env });
    expect(again.code).toBe(0);
    expect((await auditRecords(box.auditDir)).map((r) => `${r.action} ${r.resource}`)).toContain(
      `session.continued ${sessionId}`,
    );

    const verify = await runCli(["audit", "verify"], { cwd: box.work, env });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^OK: \d+ records verified/);

    const query = await runCli(["audit", "query", "--action", "tool.execute", "--json"], {
      cwd: box.work,
      env,
    });
    expect(query.code).toBe(0);
    const rows = query.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.resource)).toEqual(["bash", "read"]);
    const limited = await runCli(["audit", "query", "--limit", "1"], { cwd: box.work, env });
    expect(limited.stdout.trim().split("\n")).toHaveLength(1);
    expect(limited.stderr).toMatch(/more: --after 1/);

    // The API key never reaches the audit log, the session files or the output.
    expect(await readTree(box.auditDir)).not.toContain(KEY);
    expect(await readTree(box.sessionsDir)).not.toContain(KEY);
    expect(run.stdout + run.stderr + query.stdout).not.toContain(KEY);

    // Edit one record: verify fails and names it.
    const file = path.join(box.auditDir, "audit.jsonl");
    const text = await fs.readFile(file, "utf8");
    await fs.writeFile(file, text.replace("audited-output", "innocent-output"));
    const tampered = await runCli(["audit", "verify"], { cwd: box.work, env });
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/TAMPERED: first bad record seq \d+/);
  });

  it("audits denied calls (which never run) and masks a key the model copies into tool arguments", async () => {
    const server = await model.start([
      {
        toolCalls: [
          { name: "bash", arguments: { command: "touch denied-marker", description: "x" } },
          { name: "read", arguments: { path: `${KEY}.txt` } },
        ],
      },
      { text: "ok" },
    ]);
    const box = await securityBox();
    await fs.mkdir(box.configDir, { recursive: true });
    await fs.writeFile(
      path.join(box.configDir, "config.toml"),
      '[[permissions.rules]]\ntool = "bash"\naction = "deny"\n',
    );
    const run = await runCli(["run", "--yes", "--model", "openai/gpt-4o", "try"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url },
    });
    expect(run.code).toBe(0);
    await expect(fs.access(path.join(box.work, "denied-marker"))).rejects.toThrow();
    const records = await auditRecords(box.auditDir);
    const bash = records.filter((r) => r.resource === "bash").map((r) => `${r.action} ${r.outcome}`);
    expect(bash).toEqual(["permission.decision denied"]);
    const readStart = records.find((r) => r.action === "tool.start" && r.resource === "read");
    expect(JSON.stringify(readStart?.details)).toContain("REDACTED");
    expect(await readTree(box.auditDir)).not.toContain(KEY);
    const verify = await runCli(["audit", "verify"], { cwd: box.work, env: box.env });
    expect(verify.code).toBe(0);
  });

  it("reports usage errors and a missing log clearly", async () => {
    const box = await securityBox();
    const none = await runCli(["audit", "verify"], { cwd: box.work, env: box.env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no audit log in ${box.auditDir}`);
    const badTime = await runCli(["audit", "query", "--since", "yesterday-ish"], {
      cwd: box.work,
      env: box.env,
    });
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain("--since must be an ISO date/time");
    const badLimit = await runCli(["audit", "query", "--limit", "0"], { cwd: box.work, env: box.env });
    expect(badLimit.code).toBe(2);
    const help = await runCli(["--help"], { cwd: box.work, env: box.env });
    expect(help.code).toBe(0);
    for (const command of ["audit", "tools", "auth"])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    const toolsHelp = await runCli(["tools", "--help"], { cwd: box.work, env: box.env });
    expect(toolsHelp.stdout).toMatch(/keygen[\s\S]*sign[\s\S]*verify[\s\S]*trust/);
    const unknown = await runCli(["tools", "frobnicate"], { cwd: box.work, env: box.env });
    expect(unknown.code).toBe(2);
  });
});
