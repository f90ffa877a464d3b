import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AuditLog, verifyAuditDir } from "../src/index.js";
import { tempDir } from "./helpers.js";

async function logWith(count: number, options: { maxBytes?: number; retainFiles?: number } = {}) {
  const dir = tempDir();
  const log = await AuditLog.open({ dir, fsync: "never", ...options });
  for (let i = 1; i <= count; i++) {
    await log.append({
      actor: `user${i % 2}`,
      action: "tool.execute",
      resource: `tool${i}`,
      outcome: "success",
    });
  }
  return { dir, log, file: path.join(dir, "audit.jsonl") };
}

const lines = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
const writeLines = (file: string, list: string[]) => fs.writeFileSync(file, `${list.join("\n")}\n`);

describe("AuditLog", () => {
  it("appends hash-chained records and verifies them", async () => {
    const { log } = await logWith(5);
    const records = (await log.query({})).records;
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(records[1]!.prev_hash).toBe(records[0]!.hash);
    expect(await log.verify()).toMatchObject({ ok: true, records: 5 });
    expect(log.head()).toEqual({ seq: 5, hash: records[4]!.hash });
    await log.close();
  });

  it("serialises concurrent appends", async () => {
    const { log } = await logWith(0);
    const appended = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        log.append({ actor: "a", action: "x", resource: `${i}`, outcome: "success" }),
      ),
    );
    expect(appended.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await log.verify()).ok).toBe(true);
    await log.close();
  });

  it("detects an edited field and names the record", async () => {
    const { dir, file, log } = await logWith(5);
    await log.close();
    const list = lines(file);
    list[2] = list[2]!.replace('"outcome":"success"', '"outcome":"failure"');
    writeLines(file, list);
    expect(verifyAuditDir(dir)).toMatchObject({
      ok: false,
      records: 2,
      firstBad: { seq: 3, file: "audit.jsonl", line: 3, reason: expect.stringMatching(/modified/) },
    });
  });

  it("detects an edit whose hash was recomputed, at the next record", async () => {
    const { dir, file, log } = await logWith(4);
    await log.close();
    const { hashRecord } = await import("../src/index.js");
    const list = lines(file);
    const record = JSON.parse(list[1]!);
    record.actor = "someone-else";
    record.hash = hashRecord(record);
    list[1] = JSON.stringify(record);
    writeLines(file, list);
    expect(verifyAuditDir(dir).firstBad).toMatchObject({
      seq: 3,
      reason: expect.stringMatching(/chain broken/),
    });
  });

  it("detects a deleted line", async () => {
    const { dir, file, log } = await logWith(5);
    await log.close();
    const list = lines(file);
    list.splice(1, 1);
    writeLines(file, list);
    expect(verifyAuditDir(dir).firstBad).toMatchObject({
      seq: 2,
      line: 2,
      reason: expect.stringMatching(/deleted/),
    });
  });

  it("detects two swapped lines", async () => {
    const { dir, file, log } = await logWith(5);
    await log.close();
    const list = lines(file);
    [list[2], list[3]] = [list[3]!, list[2]!];
    writeLines(file, list);
    expect(verifyAuditDir(dir).firstBad).toMatchObject({ seq: 3, line: 3 });
  });

  it("detects truncation of whole records at the end, and refuses to continue a truncated log", async () => {
    const { dir, file, log } = await logWith(5);
    await log.close();
    writeLines(file, lines(file).slice(0, 3));
    expect(verifyAuditDir(dir).firstBad).toMatchObject({
      seq: 4,
      reason: expect.stringMatching(/truncated/),
    });
    await expect(AuditLog.open({ dir })).rejects.toThrow(/truncated.*seq 5.*seq 3/);
  });

  it("detects a torn last line, and reopening repairs it and audits the recovery", async () => {
    const { dir, file, log } = await logWith(3);
    await log.close();
    fs.appendFileSync(file, '{"seq":4,"time":"2026');
    expect(verifyAuditDir(dir).firstBad).toMatchObject({
      seq: 4,
      line: 4,
      reason: expect.stringMatching(/torn/),
    });
    const reopened = await AuditLog.open({ dir, fsync: "never" });
    const { records } = await reopened.query({ action: "audit.recovered" });
    expect(records).toHaveLength(1);
    expect(records[0]!.seq).toBe(4);
    expect(fs.readFileSync(path.join(dir, String(records[0]!.details.saved_to)), "utf8")).toBe(
      '{"seq":4,"time":"2026',
    );
    await reopened.append({ actor: "a", action: "b", resource: "c", outcome: "success" });
    expect(await reopened.verify()).toMatchObject({ ok: true, records: 5 });
    await reopened.close();
  });

  it("rotates by size and keeps the chain across files; deleting a rotated file is detected", async () => {
    const { dir, log } = await logWith(30, { maxBytes: 1200 });
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
    expect(files.length).toBeGreaterThan(3);
    expect(await log.verify()).toMatchObject({ ok: true, records: 30 });
    const { records } = await log.query({ after: 0, limit: 1000 });
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await log.close();
    const reopened = await AuditLog.open({ dir, fsync: "never", maxBytes: 1200 });
    expect((await reopened.append({ actor: "a", action: "b", resource: "c", outcome: "success" })).seq).toBe(
      31,
    );
    await reopened.close();
    fs.rmSync(path.join(dir, "audit-000002.jsonl"));
    expect(verifyAuditDir(dir).firstBad).toMatchObject({ file: "audit-000003.jsonl", line: 1 });
  });

  it("retention deletes the oldest rotated files and the chain still verifies from the oldest kept file", async () => {
    const { dir, log } = await logWith(80, { maxBytes: 1200, retainFiles: 3 });
    const rotated = () => fs.readdirSync(dir).filter((f) => /^audit-\d+\.jsonl$/.test(f));
    expect(rotated()).toHaveLength(3);
    const result = await log.verify();
    expect(result.ok).toBe(true);
    // Each prune is itself a record in the chain, naming the first kept seq and its prev_hash.
    const { records } = await log.query({ action: "audit.pruned", limit: 1000 });
    expect(records.length).toBeGreaterThan(0);
    expect(records.at(-1)?.details).toMatchObject({ deleted: expect.any(Array) });
    const first = JSON.parse(lines(path.join(dir, rotated().sort()[0]!))[0]!) as { seq: number };
    expect(first.seq).toBeGreaterThan(1);
    expect(result.records).toBe((await log.head()).seq - first.seq + 1);
    await log.close();
    // Reopening continues the chain.
    const reopened = await AuditLog.open({ dir, fsync: "never", maxBytes: 1200, retainFiles: 3 });
    await reopened.append({ actor: "a", action: "b", resource: "c", outcome: "success" });
    expect(await reopened.verify()).toMatchObject({ ok: true });
    await reopened.close();
  });

  it("retention: deleting one more old file, or a log whose prune record is gone, is detected", async () => {
    const { dir, log } = await logWith(80, { maxBytes: 1200, retainFiles: 3 });
    await log.close();
    const oldest = fs
      .readdirSync(dir)
      .filter((f) => /^audit-\d+\.jsonl$/.test(f))
      .sort()[0]!;
    fs.rmSync(path.join(dir, oldest));
    const result = verifyAuditDir(dir);
    expect(result.ok).toBe(false);
    expect(result.firstBad?.reason).toMatch(/deleted/);
  });

  it("without retention a log whose first file does not start at seq 1 is reported as deleted records", async () => {
    const { dir, log } = await logWith(30, { maxBytes: 1200 });
    await log.close();
    fs.rmSync(path.join(dir, "audit-000001.jsonl"));
    expect(verifyAuditDir(dir).firstBad?.reason).toMatch(/deleted/);
  });

  it("queries with filters, time range and paging", async () => {
    const { log } = await logWith(7);
    await log.append({ actor: "user1", action: "auth.failure", resource: "GET /", outcome: "denied" });
    expect((await log.query({ actor: "user1" })).records.map((r) => r.seq)).toEqual([1, 3, 5, 7, 8]);
    expect((await log.query({ outcome: "denied" })).records.map((r) => r.seq)).toEqual([8]);
    const page1 = await log.query({ limit: 3 });
    expect(page1.records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(page1.next_after).toBe(3);
    const page3 = await log.query({ limit: 3, after: 6 });
    expect(page3.records.map((r) => r.seq)).toEqual([7, 8]);
    expect(page3.next_after).toBeUndefined();
    expect((await log.query({ since: new Date(Date.now() + 60_000) })).records).toEqual([]);
    expect((await log.query({ until: new Date(Date.now() + 60_000) })).records).toHaveLength(8);
    await expect(log.query({ since: "yesterday-ish" })).rejects.toThrow(/since: not a date/);
    await expect(log.query({ limit: 5000 })).rejects.toThrow(/limit/);
    await log.close();
  });

  it("redacts secrets from details", async () => {
    const { dir, log } = await logWith(0);
    await log.append({
      actor: "agent",
      action: "provider.call",
      resource: "openai",
      outcome: "success",
      details: {
        api_key: "plain-looking",
        headers: { Authorization: "Bearer abcdefghijklmnop" },
        note: "used key sk-proj-abcdefghijklmnopqrstuvwx",
        input_tokens: 12,
      },
    });
    await log.append({
      actor: "u",
      action: "api.call",
      resource: "GET /x?key=sk-abcdefghijklmnopqrstuvwxyz",
      outcome: "success",
    });
    const raw = fs.readFileSync(path.join(dir, "audit.jsonl"), "utf8");
    expect(raw).not.toMatch(/plain-looking|abcdefghijklmnop|sk-proj|sk-abc/);
    expect(raw).toContain('"input_tokens":12');
    await log.close();
  });

  it("rejects entries missing required fields", async () => {
    const { log } = await logWith(0);
    // @ts-expect-error testing bad input
    await expect(log.append({ actor: "a", action: "b", resource: "c" })).rejects.toThrow(/"outcome"/);
    expect(log.head().seq).toBe(0);
    await log.close();
  });
});

describe("AuditLog head marker", () => {
  it("a corrupted head marker is reported by verify and refused on open", async () => {
    const { dir, log } = await logWith(2);
    await log.close();
    fs.writeFileSync(path.join(dir, "audit.head"), "garbage");
    expect(verifyAuditDir(dir).firstBad?.reason).toMatch(/head marker .* is corrupt/);
    await expect(AuditLog.open({ dir })).rejects.toThrow(/corrupt/);
  });
});
