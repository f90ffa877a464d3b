import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { RuleGate } from "@codetether/core";
import { beforeEach, describe, expect, it } from "vitest";
import { bashTool } from "../src/bash.js";
import { context, run, workspace } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
});

/** Running (a zombie waiting for init to reap it counts as dead: it was killed). */
function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== "Z";
  } catch {
    return false;
  }
}

async function waitDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

describe("bash", () => {
  it("runs a command in cwd and reports the exit code", async () => {
    await fs.mkdir(path.join(ws, "sub"));
    const res = await run(bashTool, { command: "pwd; echo err >&2; exit 3", cwd: "sub" }, context(ws));
    expect(res.output).toContain(path.join(ws, "sub"));
    expect(res.output).toContain("err");
    expect(res.output).toContain("[exit code 3]");
    expect(res.metadata?.exitCode).toBe(3);
  });
  it("caps huge output with a truncation note, keeping head and tail", async () => {
    const res = await run(
      bashTool,
      { command: "echo START; head -c 300000 /dev/zero | tr '\\0' a; echo; echo END" },
      context(ws),
    );
    expect(res.output.length).toBeLessThan(60_000);
    expect(res.output).toContain("START");
    expect(res.output).toContain("END");
    expect(res.output).toContain("output truncated");
    expect(res.metadata?.truncated).toBe(true);
  });
  it("kills the whole process group on timeout", async () => {
    const res = await run(bashTool, { command: "sleep 60 & echo $!; wait", timeout: 0.5 }, context(ws));
    expect(res.isError).toBe(true);
    expect(res.output).toContain("timed out after 0.5s");
    const pid = Number(res.output.split("\n")[0]);
    expect(pid).toBeGreaterThan(0);
    expect(await waitDead(pid)).toBe(true);
  });
  it("kills the process group when the turn is aborted", async () => {
    const controller = new AbortController();
    let pid = 0;
    const ctx = context(ws, {
      signal: controller.signal,
      emit: (event) => {
        const m = event.text.match(/^(\d+)/);
        if (m && !pid) {
          pid = Number(m[1]);
          controller.abort();
        }
      },
    });
    const res = await bashTool.execute({ command: "sleep 60 & echo $!; wait" }, ctx);
    expect(res.isError).toBe(true);
    expect(res.output).toContain("cancelled");
    expect(await waitDead(pid)).toBe(true);
  });
  it("does not start a command cancelled while the sandbox was being prepared", async () => {
    const controller = new AbortController();
    const sandbox = {
      wrap(command: string) {
        controller.abort(); // the user cancels while wrap() is still working
        return { file: "bash", args: ["-c", command] };
      },
    };
    const ctx = context(ws, { signal: controller.signal, services: { sandbox } });
    const started = Date.now();
    const res = await bashTool.execute({ command: "sleep 5; echo late > marker.txt" }, ctx);
    expect(res.isError).toBe(true);
    expect(res.output).toContain("cancelled");
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(fs.access(path.join(ws, "marker.txt"))).rejects.toThrow();
  });
  it("lets a sandbox service wrap the command", async () => {
    const seen: string[] = [];
    const sandbox = {
      wrap(command: string, options: { cwd: string }) {
        seen.push(options.cwd);
        return { file: "bash", args: ["-c", `echo sandboxed; ${command}`] };
      },
    };
    const res = await run(bashTool, { command: "echo inner" }, context(ws, { services: { sandbox } }));
    expect(res.output).toContain("sandboxed\ninner");
    expect(seen).toEqual([ws]);
  });
  it("rejects bad input, a missing cwd, an outside cwd, and plan mode", async () => {
    expect((await run(bashTool, {}, context(ws))).output).toContain("command");
    expect((await run(bashTool, { command: "ls", timeout: 10_000 }, context(ws))).isError).toBe(true);
    expect((await run(bashTool, { command: "ls", cwd: "missing" }, context(ws))).output).toContain(
      "not found",
    );
    expect((await run(bashTool, { command: "ls", cwd: ".." }, context(ws))).output).toContain("outside");
    const gate = new RuleGate();
    gate.planMode = true;
    const planned = await run(bashTool, { command: "touch made" }, context(ws), gate);
    expect(planned.output).toContain("plan mode");
    await expect(fs.stat(path.join(ws, "made"))).rejects.toThrow();
  });
});
