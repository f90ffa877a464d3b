// Opening the log reads only its last record, without zod (issue 25): the tail read and the plain record check must
// agree with reading the whole file and with AuditRecordSchema.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readLastLine } from "../src/audit/audit-files.js";
import { AuditRecordSchema, hashRecord, isAuditRecord } from "../src/audit/audit-record.js";
import { AuditLog } from "../src/index.js";
import { tempDir } from "./helpers.js";

const hex = "a".repeat(64);
const body = {
  seq: 3,
  time: "2026-12-02T00:00:00.000Z",
  actor: "user",
  action: "tool.execute",
  resource: "read",
  outcome: "success",
  details: { n: 1 },
  prev_hash: hex,
};
const valid = { ...body, hash: hashRecord(body) };

describe("isAuditRecord", () => {
  const cases: [string, unknown][] = [
    ["a valid record", valid],
    ["an empty details object", { ...valid, details: {} }],
    ["null", null],
    ["an array", [valid]],
    ["a string", "record"],
    ["seq 0", { ...valid, seq: 0 }],
    ["a fractional seq", { ...valid, seq: 1.5 }],
    ["a string seq", { ...valid, seq: "3" }],
    ["an unsafe integer seq", { ...valid, seq: 2 ** 60 }],
    ["a missing field", (({ actor: _actor, ...rest }) => rest)(valid)],
    ["an extra field", { ...valid, extra: 1 }],
    ["a numeric time", { ...valid, time: 1 }],
    ["array details", { ...valid, details: [] }],
    ["null details", { ...valid, details: null }],
    ["an uppercase hash", { ...valid, hash: "A".repeat(64) }],
    ["a short prev_hash", { ...valid, prev_hash: "ab" }],
  ];
  it.each(cases)("agrees with AuditRecordSchema on %s", (_name, value) => {
    expect(isAuditRecord(value)).toBe(AuditRecordSchema.safeParse(value).success);
  });
});

describe("readLastLine", () => {
  const file = (text: string) => {
    const f = path.join(tempDir(), "audit.jsonl");
    fs.writeFileSync(f, text);
    return f;
  };
  it("returns the last complete line, ignoring a torn tail", () => {
    expect(readLastLine(file("a\nb\n"))).toBe("b");
    expect(readLastLine(file("a\nb\ntorn"))).toBe("b");
    expect(readLastLine(file("only\n"))).toBe("only");
    expect(readLastLine(file("\n"))).toBe("");
  });
  it("is undefined without a complete line", () => {
    expect(readLastLine(file(""))).toBeUndefined();
    expect(readLastLine(file("torn only"))).toBeUndefined();
  });
  it("finds lines longer than its first read window, and a line ending at a window edge", () => {
    const long = "x".repeat(200_000);
    expect(readLastLine(file(`a\n${long}\n`))).toBe(long);
    expect(readLastLine(file(`${long}\n`))).toBe(long);
    expect(readLastLine(file(`${long}\nshort\n${"y".repeat(70_000)}`))).toBe("short");
    const edge = "z".repeat(64 * 1024 - 1);
    expect(readLastLine(file(`first\n${edge}\n`))).toBe(edge);
  });
});

describe("AuditLog.open", () => {
  it("continues the chain from a large log, and refuses a corrupt last record naming its line", async () => {
    const dir = tempDir();
    const log = await AuditLog.open({ dir, fsync: "never" });
    for (let i = 0; i < 3; i++)
      await log.append({
        actor: "user",
        action: "tool.execute",
        resource: "r",
        outcome: "success",
        details: { blob: "b".repeat(100_000) },
      });
    await log.close();
    const reopened = await AuditLog.open({ dir, fsync: "never" });
    expect(reopened.head().seq).toBe(3);
    await reopened.append({ actor: "user", action: "a", resource: "r", outcome: "success" });
    expect(await reopened.verify()).toMatchObject({ ok: true, records: 4 });
    await reopened.close();

    fs.appendFileSync(path.join(dir, "audit.jsonl"), '{"seq":5}\n');
    await expect(AuditLog.open({ dir, fsync: "never" })).rejects.toThrow(/audit\.jsonl line 5 is corrupt/);
  });
});
