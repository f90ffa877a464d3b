import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createSession } from "@codetether/core";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, isRuntimeError, KnownSecrets, type Runtime } from "../src/index.js";

const KEY = "plain-test-provider-key-0123456789";
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

async function box(configToml = "") {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-runtime-"));
  const work = path.join(dir, "work");
  await fs.mkdir(work, { recursive: true });
  await fs.mkdir(path.join(dir, "config", "codetether"), { recursive: true });
  await fs.writeFile(path.join(dir, "config", "codetether", "config.toml"), configToml);
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, "config"),
    XDG_DATA_HOME: path.join(dir, "data"),
    OPENAI_API_KEY: KEY,
  };
  return { dir, work, env, dataDir: path.join(dir, "data", "codetether") };
}

const call = (name: string, args: unknown) => ({ id: `c_${name}`, name, arguments: JSON.stringify(args) });

describe("createRuntime", () => {
  it("gates tools with the configured rules, audits every call and masks known secrets in their output", async () => {
    const b = await box(
      '[permissions]\nauto_approve = "all"\nrules = [{ tool = "write", action = "deny" }]\n',
    );
    runtime = createRuntime({ cwd: b.work, env: b.env, stderr: { write: () => true } });
    const tools = await runtime.tools();
    const ctx = {
      sessionId: "s1",
      callId: "c1",
      cwd: b.work,
      workspaceRoot: b.work,
      signal: new AbortController().signal,
      emit: () => {},
    };
    const denied = await tools.execute(call("write", { path: "x.txt", content: "x" }), ctx);
    expect(denied.output).toContain("Permission denied by a rule");
    await expect(fs.access(path.join(b.work, "x.txt"))).rejects.toThrow();
    // A file holding the key (a .env the model reads back): the key is known from the environment.
    await fs.writeFile(path.join(b.work, "dotenv"), `OPENAI_API_KEY=${KEY}\n`);
    const env = await tools.execute(
      call("bash", { command: "sed s/^OPENAI_API_KEY/key/ dotenv", description: "t" }),
      ctx,
    );
    expect(env.output).toContain("key=[REDACTED]");
    expect(env.output).not.toContain(KEY);
    await runtime.close();
    const audit = await fs.readFile(path.join(b.dataDir, "audit", "audit.jsonl"), "utf8");
    expect(audit).toContain('"permission.decision"');
    expect(audit).toContain('"tool.start"');
    expect(audit).not.toContain(KEY);
  });

  it("stores sessions without known secrets, including values a host adds later", async () => {
    const b = await box();
    runtime = createRuntime({ cwd: b.work, env: b.env });
    runtime.secrets.add("host-added-token-0123456789");
    const session = createSession({ cwd: b.work });
    session.messages.push({
      role: "user",
      content: [{ type: "text", text: `use ${KEY} and host-added-token-0123456789` }],
    });
    await runtime.store.save(session);
    const stored = await fs.readFile(path.join(b.dataDir, "sessions", `${session.id}.json`), "utf8");
    expect(stored).not.toContain(KEY);
    expect(stored).not.toContain("host-added-token");
    expect(stored).toContain("use [REDACTED] and [REDACTED]");
    // The session in memory is untouched.
    expect(JSON.stringify(session)).toContain(KEY);
    // Saving again keeps working: the store tracks the caller's object, not the masked copy it wrote.
    session.messages.push({ role: "user", content: [{ type: "text", text: "again" }] });
    await runtime.store.save(session);
    const loaded = await runtime.store.load(session.id);
    loaded.messages.push({ role: "user", content: [{ type: "text", text: "third" }] });
    await runtime.store.save(loaded);
    expect((await runtime.store.load(session.id)).messages).toHaveLength(3);
  });

  it("a config mistake is a RuntimeError with exit code 2", async () => {
    const b = await box("[permissions]\nrules = 3\n");
    let error: unknown;
    try {
      createRuntime({ cwd: b.work, env: b.env });
    } catch (err) {
      error = err;
    }
    expect(isRuntimeError(error)).toBe(true);
    expect((error as { exitCode: number }).exitCode).toBe(2);
  });
});

describe("KnownSecrets", () => {
  it("collects secret-named environment values and config keys, ignoring short and ordinary values", () => {
    const secrets = new KnownSecrets({
      env: { GITHUB_TOKEN: "ghp-long-enough-value", HOME: "/home/someone", SHORT_KEY: "abc" },
      configKeys: ["config-key-0123456789", undefined],
    });
    expect(secrets.values.sort()).toEqual(["config-key-0123456789", "ghp-long-enough-value"]);
  });
});
