import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AuditLog, verifyAuditDir } from "../src/index.js";
import { bundleForNode } from "./bundle.js";
import { tempDir } from "./helpers.js";

describe("AuditLog crash safety", () => {
  it("two processes appending to the same log at once keep one valid chain across rotations", async () => {
    const script = await bundleForNode(path.join(import.meta.dirname, "fixtures/audit-writer.ts"));
    const dir = tempDir();
    const writers = [1, 2, 3].map(
      () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, [script, dir, "400"], { stdio: "ignore" });
          child.on("exit", resolve);
        }),
    );
    expect(await Promise.all(writers)).toEqual([0, 0, 0]);
    expect(verifyAuditDir(dir)).toMatchObject({ ok: true, records: 1200 });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("audit-")).length).toBeGreaterThan(3);
  });

  it("a writer killed with SIGKILL mid-append loses at most the in-flight record; verify passes after reopening", async () => {
    const script = await bundleForNode(path.join(import.meta.dirname, "fixtures/audit-writer.ts"));
    const dir = tempDir();
    for (let round = 0; round < 3; round++) {
      const verified = verifyAuditDir(dir);
      const before = verified.firstSeq + verified.records - 1; // the last seq (retention drops old files)
      const child = spawn(process.execPath, [script, dir], { stdio: ["ignore", "pipe", "pipe"] });
      let reported = 0;
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          const last = chunk.toString().trim().split("\n").at(-1);
          reported = Number(last);
          if (reported >= before + 1500) {
            child.kill("SIGKILL");
            resolve();
          }
        });
        child.on("exit", (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
      });
      await new Promise((resolve) => child.once("close", resolve));
      // Every record the writer reported as written is still there; at most a torn tail is lost.
      const log = await AuditLog.open({ dir, fsync: "never", maxBytes: 64 * 1024 });
      const result = await log.verify();
      expect(result, JSON.stringify(result.firstBad)).toMatchObject({ ok: true });
      expect(result.firstSeq + result.records - 1).toBeGreaterThanOrEqual(reported);
      await log.close();
    }
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("audit-")).length).toBeGreaterThan(5);
  });
});
