import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { PassThrough } from "node:stream";
import { crashReportsDir } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { quickCrashReportsDir, reportCrash, showCrashNotice } from "../src/crash-hook.js";
import { BIN, makeSandbox, runCli } from "./helpers.js";

function capture(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  let text = "";
  stream.on("data", (d) => {
    text += d;
  });
  return { stream, text: () => text };
}

async function reportsIn(env: Record<string, string>): Promise<string[]> {
  return fs.readdir(path.join(env.XDG_DATA_HOME as string, "codetether", "crash-reports")).catch(() => []);
}

describe("crash reporting in the CLI", () => {
  it("writes nothing while telemetry.crash_reporting is off (the default)", async () => {
    const { work, env } = await makeSandbox();
    const err = capture(false);
    await reportCrash(new Error("boom"), {
      version: "1.0.0",
      argv: ["run"],
      cwd: work,
      env,
      stderr: err.stream,
    });
    expect(await reportsIn(env)).toEqual([]);
    expect(err.text()).toBe("");
  });

  it("when on: writes a redacted report, and the next TTY start shows a one-line notice once", async () => {
    const { work, env } = await makeSandbox();
    const set = await runCli(["config", "--set", "telemetry.crash_reporting=true"], { cwd: work, env });
    expect(set.code).toBe(0);
    const secretEnv = { ...env, OPENAI_API_KEY: "sk-test-0123456789abcdef" };
    const err = capture(false);
    await reportCrash(new Error(`failed with ${secretEnv.OPENAI_API_KEY} in ${work}/src/x.ts`), {
      version: "1.0.0",
      argv: ["run", "secret prompt"],
      cwd: work,
      env: secretEnv,
      stderr: err.stream,
    });
    const files = await reportsIn(env);
    expect(files).toHaveLength(1);
    expect(err.text()).toContain("a crash report was saved to");
    const file = path.join(env.XDG_DATA_HOME as string, "codetether", "crash-reports", files[0] as string);
    const report = JSON.parse(await fs.readFile(file, "utf8"));
    expect(report).toMatchObject({ version: "1.0.0", command: "run", platform: process.platform });
    expect(report.error.message).toBe("failed with [REDACTED] in ./src/x.ts");
    expect(JSON.stringify(report)).not.toContain("secret prompt");

    const notTty = capture(false);
    await showCrashNotice({ stderr: notTty.stream, env });
    expect(notTty.text()).toBe("");
    const tty = capture(true);
    await showCrashNotice({ stderr: tty.stream, env });
    expect(tty.text().trim().split("\n")).toHaveLength(1);
    expect(tty.text()).toContain("crash report");
    const again = capture(true);
    await showCrashNotice({ stderr: again.stream, env });
    expect(again.text()).toBe("");
  });
});

describe("quickCrashReportsDir", () => {
  it("matches core's crashReportsDir without loading core", () => {
    for (const env of [
      { CODETETHER_DATA_DIR: "rel/data", XDG_DATA_HOME: "/x" },
      { XDG_DATA_HOME: "/xdg/data" },
      { XDG_DATA_HOME: "" },
      {},
    ]) {
      expect(quickCrashReportsDir(env)).toBe(crashReportsDir(env));
    }
  });
});

describe("crash reporting end to end (built binary)", () => {
  it("an uncaught error in third-party code writes and POSTs a report; the next TTY start mentions it", async () => {
    const { work, env } = await makeSandbox();
    const received: string[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crash`;
    try {
      // A provider whose stream crashes the process from a timer: nothing can catch that but the crash hook.
      await fs.writeFile(
        path.join(work, "crashing-provider.mjs"),
        `export function createProvider({ id }) {
          return { id, async listModels() { return []; }, async *stream() {
            setTimeout(() => { throw new Error("boom with sk-live-0123456789abcdef in ${work}/crashing-provider.mjs"); }, 1);
            await new Promise(() => {});
          } };
        }`,
      );
      for (const pair of [
        "telemetry.crash_reporting=true",
        `telemetry.endpoint=${endpoint}`,
        "providers.crashy.module=./crashing-provider.mjs",
      ]) {
        const r = await runCli(["config", "--set", pair], { cwd: work, env });
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
      }
      const res = await runCli(["run", "--model", "crashy/m", "hi"], { cwd: work, env });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("codetether: unexpected error: Error: boom");
      expect(res.stderr).toMatch(/a crash report was saved to .*crash-reports.* and sent to/);
      expect(received).toHaveLength(1);
      const report = JSON.parse(received[0] as string);
      expect(report.error.message).toBe("boom with [REDACTED] in ./crashing-provider.mjs");
      expect(report.command).toBe("run");
      expect(await reportsIn(env)).toHaveLength(1);

      // `script` gives the next start a real TTY on stderr.
      const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} sessions --json`;
      const next = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: work, env, encoding: "utf8" });
      expect(next.stdout).toMatch(/A crash report was saved after the last run\. Show it with: cat /);
      const again = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: work, env, encoding: "utf8" });
      expect(again.stdout).not.toContain("crash report");
    } finally {
      server.close();
    }
  });
});
