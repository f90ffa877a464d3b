import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildCrashReport,
  crashNotice,
  crashReportsDir,
  handleCrash,
  readCrashReport,
  redactSecrets,
  unseenCrashReports,
} from "../src/index.js";

const tmp: string[] = [];
function sandbox(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-crash-"));
  tmp.push(dir);
  return { HOME: dir, CODETETHER_DATA_DIR: path.join(dir, "data") };
}
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function errorWithStack(message: string, stack: string): Error {
  const err = new Error(message);
  err.stack = stack;
  return err;
}

describe("buildCrashReport", () => {
  it("keeps frames only, relative to the project, with secrets redacted", () => {
    const project = "/home/alice/proj";
    const env = { HOME: "/home/alice", OPENAI_API_KEY: "sk-live-abcdefghijklmnop", MY_TOKEN: "tok123456" };
    const err = errorWithStack(
      "request failed with api_key=hunter2hunter2 and tok123456",
      [
        "/home/alice/proj/src/a.ts:3",
        "  const secret = readKey();",
        "        ^^^^^^",
        "Error: request failed",
        "    at readKey (/home/alice/proj/src/a.ts:3:9)",
        "    at file:///home/alice/proj/dist/b.js:10:2",
        "    at load (/home/alice/.npm/x.js:1:1)",
        "    at auth (/opt/x.js:1:1) Bearer sk-live-abcdefghijklmnop",
      ].join("\n"),
    );
    const report = buildCrashReport(err, {
      version: "1.2.3",
      projectRoot: project,
      env,
      command: "run fix the key",
    });
    expect(report.version).toBe("1.2.3");
    expect(report.platform).toBe(process.platform);
    expect(report.command).toBe("run");
    expect(report.error.stack).toEqual([
      "at readKey (./src/a.ts:3:9)",
      "at ./dist/b.js:10:2",
      "at load (~/.npm/x.js:1:1)",
      "at auth (/opt/x.js:1:1) Bearer [REDACTED]",
    ]);
    const text = JSON.stringify(report);
    expect(text).not.toContain("readKey();");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("tok123456");
    expect(text).not.toContain("sk-live");
    expect(text).not.toContain("/home/alice");
  });

  it("accepts non-Error throws", () => {
    const report = buildCrashReport("boom sk-abcdefghijkl", { version: "1", projectRoot: "/x", env: {} });
    expect(report.error.message).toBe("non-Error thrown: string");
  });
});

describe("redactSecrets", () => {
  it("removes key formats, key=value pairs and URL credentials", () => {
    const out = redactSecrets(
      "ghp_abcdefghijklmnopqrstu https://user:pa55word@host/x token: abcdefghijk AKIAABCDEFGHIJKLMNOP",
    );
    expect(out).not.toMatch(/ghp_abc|pa55word|abcdefghijk|AKIAABCD/);
  });
});

describe("handleCrash", () => {
  it("does nothing when crash reporting is off (the default)", async () => {
    const env = sandbox();
    const r = await handleCrash(new Error("x"), {
      telemetry: { crash_reporting: false },
      version: "1",
      projectRoot: "/",
      env,
    });
    expect(r).toEqual({ sent: false });
    expect(fs.existsSync(crashReportsDir(env))).toBe(false);
  });

  it("writes a private report, announces it once, sends nothing without an endpoint", async () => {
    const env = sandbox();
    const r = await handleCrash(new Error("kaput"), {
      telemetry: { crash_reporting: true },
      version: "1",
      projectRoot: "/",
      env,
      fetch: () => {
        throw new Error("must not send");
      },
    });
    expect(r.sent).toBe(false);
    expect(r.file && (fs.statSync(r.file).mode & 0o777).toString(8)).toBe("600");
    expect(readCrashReport(r.file as string).error.message).toBe("kaput");
    expect(unseenCrashReports(crashReportsDir(env))).toHaveLength(1);
    const notice = crashNotice(crashReportsDir(env));
    expect(notice).toMatch(/A crash report was saved .*cat ".*\.seen\.json"/);
    expect(notice).not.toContain("\n");
    expect(crashNotice(crashReportsDir(env))).toBeUndefined();
  });

  it("POSTs the report to a configured endpoint", async () => {
    const env = sandbox();
    const bodies: unknown[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        bodies.push({ method: req.method, type: req.headers["content-type"], body: JSON.parse(body) });
        if (req.url === "/redirect") res.writeHead(307, { location: "http://169.254.169.254/steal" }).end();
        else res.writeHead(req.url === "/fail" ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = await handleCrash(new Error("sent"), {
        telemetry: { crash_reporting: true, endpoint: `${base}/crash` },
        version: "9.9.9",
        projectRoot: "/",
        env,
      });
      expect(ok.sent).toBe(true);
      expect(bodies[0]).toMatchObject({
        method: "POST",
        type: "application/json",
        body: { version: "9.9.9", error: { message: "sent" } },
      });
      const failed = await handleCrash(new Error("again"), {
        telemetry: { crash_reporting: true, endpoint: `${base}/fail` },
        version: "1",
        projectRoot: "/",
        env,
      });
      expect(failed).toMatchObject({ sent: false, sendError: expect.stringContaining("HTTP 500") });
      expect(fs.existsSync(failed.file as string)).toBe(true);
      // A redirect is not followed: the report goes only to the configured endpoint.
      const redirected = await handleCrash(new Error("moved"), {
        telemetry: { crash_reporting: true, endpoint: `${base}/redirect` },
        version: "1",
        projectRoot: "/",
        env,
      });
      expect(redirected.sent).toBe(false);
      expect(bodies).toHaveLength(3);
    } finally {
      server.close();
    }
  });
});
