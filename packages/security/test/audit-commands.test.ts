import fs from "node:fs";
import path from "node:path";
import { ConfigSchema } from "@codetether/core";
import { describe, expect, it } from "vitest";
import {
  AuditLog,
  auditQuery,
  auditQueryFromSearchParams,
  auditVerify,
  defaultAuditDir,
  sandboxPolicyFor,
} from "../src/index.js";
import { tempDir } from "./helpers.js";

function capture() {
  const io = {
    out: "",
    err: "",
    stdout: { write: (s: string) => (io.out += s) },
    stderr: { write: (s: string) => (io.err += s) },
  };
  return io;
}

describe("audit CLI logic", () => {
  it("verify reports OK, then the first bad record after tampering", async () => {
    const dataDir = tempDir();
    const env = { CODETETHER_DATA_DIR: dataDir };
    const dir = defaultAuditDir(env);
    expect(dir).toBe(path.join(dataDir, "audit"));
    const io = capture();
    expect(await auditVerify({}, { ...io, env })).toBe(1);
    expect(io.err).toMatch(/no audit log/);
    const log = await AuditLog.open({ dir, fsync: "never" });
    for (const action of ["a", "b", "c"])
      await log.append({ actor: "u", action, resource: "r", outcome: "success" });
    await log.close();
    expect(await auditVerify({}, { ...io, env })).toBe(0);
    expect(io.out).toMatch(/OK: 3 records/);
    const file = path.join(dir, "audit.jsonl");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"action":"b"', '"action":"x"'));
    expect(await auditVerify({ dir }, io)).toBe(1);
    expect(io.out).toMatch(/TAMPERED: first bad record seq 2 \(audit.jsonl line 2\)/);
  });

  it("query prints a page and the next cursor; JSON lines on request; bad filters are errors", async () => {
    const dir = tempDir();
    const log = await AuditLog.open({ dir, fsync: "never" });
    for (let i = 0; i < 5; i++)
      await log.append({ actor: "u", action: "t", resource: `r${i}`, outcome: "success" });
    await log.close();
    const io = capture();
    expect(await auditQuery({ dir, limit: 2 }, io)).toBe(0);
    expect(io.out.trim().split("\n")).toHaveLength(2);
    expect(io.err).toBe("more: --after 2\n");
    const json = capture();
    expect(await auditQuery({ dir, after: 4, json: true }, json)).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ seq: 5, resource: "r4" });
    expect(await auditQuery({ dir, since: "not a date" }, json)).toBe(1);
    expect(json.err).toMatch(/since: not a date/);
  });

  it("builds queries from URL parameters for GET /v1/audit/events", () => {
    expect(auditQueryFromSearchParams(new URLSearchParams("limit=50&after=10&actor=u"))).toEqual({
      limit: 50,
      after: 10,
      actor: "u",
    });
    expect(() => auditQueryFromSearchParams(new URLSearchParams("limit=abc"))).toThrow(
      /limit must be an integer/,
    );
    expect(() => auditQueryFromSearchParams(new URLSearchParams("limit=0"))).toThrow(/limit/);
    expect(() => auditQueryFromSearchParams(new URLSearchParams("constructor=1"))).toThrow(
      /unknown parameter/,
    );
  });
});

describe("sandboxPolicyFor", () => {
  it("overlays the tool's policy on the default, and is off when disabled", () => {
    const config = ConfigSchema.parse({
      sandbox: {
        enabled: true,
        default: { network: "deny", max_memory: "1G" },
        tools: { bash: { max_memory: "2G" } },
      },
    });
    expect(sandboxPolicyFor(config, "bash")).toEqual({ network: "deny", max_memory: "2G" });
    expect(sandboxPolicyFor(config, "other")).toEqual({ network: "deny", max_memory: "1G" });
    expect(sandboxPolicyFor(ConfigSchema.parse({}), "bash")).toBeUndefined();
    const onlyTool = ConfigSchema.parse({ sandbox: { tools: { plugin: { network: "deny" } } } });
    expect(sandboxPolicyFor(onlyTool, "plugin")).toEqual({ network: "deny" });
  });
});
