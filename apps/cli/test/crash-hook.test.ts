import fs from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { reportCrash, showCrashNotice } from "../src/crash-hook.js";
import { makeSandbox, runCli } from "./helpers.js";

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
    showCrashNotice({ stderr: notTty.stream, env });
    expect(notTty.text()).toBe("");
    const tty = capture(true);
    showCrashNotice({ stderr: tty.stream, env });
    expect(tty.text().trim().split("\n")).toHaveLength(1);
    expect(tty.text()).toContain("crash report");
    const again = capture(true);
    showCrashNotice({ stderr: again.stream, env });
    expect(again.text()).toBe("");
  });
});
