import type { ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import type { ScriptedTurn } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { sandboxUsable, toolEnds } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { securityBox } from "./security-helpers.js";

const model = useScriptedOpenAI();

const usable = sandboxUsable("the symlink race test");

const call = (name: string, args: Record<string, unknown>) => ({ name, arguments: args });
const bash = (command: string) => call("bash", { command, description: "test" });
describe.skipIf(!usable)("confinement races (built binary, real sandbox)", () => {
  it("write race/pwn.txt in parallel with bash `ln -s ../outside race`: never lands outside, 12 tries", async () => {
    const box = await securityBox();
    const outside = path.join(box.dir, "outside");
    await fs.mkdir(outside);
    const TRIES = 12;
    const script: ScriptedTurn[] = [];
    for (let i = 0; i < TRIES; i++) {
      script.push({ toolCalls: [bash("rm -rf race")] });
      // One turn, two parallel calls: the link appears while write resolves and creates race/.
      script.push({
        toolCalls: [
          bash("ln -s ../outside race"),
          call("write", { path: "race/pwn.txt", content: `try ${i}\n` }),
        ],
      });
    }
    script.push({ text: "done" });
    const server = await model.start(script);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "race"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url, CODETETHER_SANDBOX: "1" },
    });
    expect(res.code, res.stderr).toBe(0);
    const ends = toolEnds(res.stdout);
    expect(ends).toHaveLength(TRIES * 3);
    // The link was really created inside the sandbox (so the race was real), yet nothing escaped.
    expect(ends.filter((e) => e.tool === "bash" && e.result.metadata?.exitCode === 0).length).toBeGreaterThan(
      TRIES,
    );
    expect(await fs.readdir(outside)).toEqual([]);
  });
});

describe("path deny rules follow symlinks for every writing tool (built binary)", () => {
  it("`.env*` denied for write; `ln -s .env envlink`; write/edit/multiedit/apply_patch on envlink all refused", async () => {
    const box = await securityBox();
    await fs.mkdir(box.configDir, { recursive: true });
    await fs.writeFile(
      path.join(box.configDir, "config.toml"),
      '[permissions]\nrules = [{ tool = "write", path = ".env*", action = "deny" }]\n',
    );
    await fs.writeFile(path.join(box.work, ".env"), "SECRET=1\n");
    const pwn = "SECRET=pwned";
    const server = await model.start([
      { toolCalls: [bash("ln -s .env envlink")] },
      { toolCalls: [call("write", { path: "envlink", content: `${pwn}\n` })] },
      { toolCalls: [call("edit", { path: "envlink", oldString: "SECRET=1", newString: pwn })] },
      {
        toolCalls: [
          call("multiedit", { edits: [{ path: "envlink", oldString: "SECRET=1", newString: pwn }] }),
        ],
      },
      {
        toolCalls: [
          call("apply_patch", {
            patch: `*** Begin Patch\n*** Update File: envlink\n@@\n-SECRET=1\n+${pwn}\n*** End Patch`,
          }),
        ],
      },
      { toolCalls: [call("edit", { path: ".env", oldString: "SECRET=1", newString: pwn })] },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "try"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code, res.stderr).toBe(0);
    const ends = toolEnds(res.stdout);
    expect(ends).toHaveLength(6);
    expect(ends[0].result.isError ?? false).toBe(false);
    for (const end of ends.slice(1)) {
      expect(end.result.isError, `${end.tool}: ${end.result.output}`).toBe(true);
      expect(end.result.output).toContain("denied");
    }
    expect(await fs.readFile(path.join(box.work, ".env"), "utf8")).toBe("SECRET=1\n");
  });
});

describe("one writer per session (built binary)", () => {
  it("two `run -c` at once on one session: no prompt is lost", async () => {
    const box = await securityBox();
    const children: ChildProcess[] = [];
    const stderrs: string[] = ["", ""];
    let exited = 0;
    let unblock!: () => void;
    const blocked = new Promise<void>((r) => {
      unblock = r;
    });
    let served = 0;
    // The first answer of the concurrent phase is held until the other process either waits for the session
    // (it says so on stderr) or has finished its own turn — so both runs really overlap.
    const server = await model.start(
      Array.from({ length: 3 }, () => async () => {
        served++;
        if (served === 2) await blocked;
        return { text: `answer ${served}` };
      }),
    );
    const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
    const first = await runCli(["run", "--model", "openai/gpt-4o", "prompt zero"], { cwd: box.work, env });
    expect(first.code, first.stderr).toBe(0);
    const runs = [1, 2].map((n, i) =>
      runCli(["run", "-c", "--model", "openai/gpt-4o", `prompt ${n}`], {
        cwd: box.work,
        env,
        onSpawn: (child) => {
          children.push(child);
          child.stderr?.on("data", (d) => {
            stderrs[i] += d;
            if (/in use by/.test(stderrs[i] ?? "")) unblock();
          });
          child.on("exit", () => {
            exited++;
            unblock();
          });
        },
      }),
    );
    const results = await Promise.all(runs);
    expect(exited).toBe(2);
    const files = (await fs.readdir(box.sessionsDir)).filter((n) => n.endsWith(".json"));
    expect(files).toHaveLength(1);
    const session = JSON.parse(await fs.readFile(path.join(box.sessionsDir, files[0] as string), "utf8"));
    const prompts = (session.messages as Array<{ role: string; content: unknown }>)
      .filter((m) => m.role === "user")
      .map((m) => JSON.stringify(m.content));
    for (const [i, res] of results.entries()) {
      if (res.code === 0) expect(prompts.some((p) => p.includes(`prompt ${i + 1}`))).toBe(true);
      else expect(res.stderr).toMatch(/in use by .*pid \d+/);
    }
    expect(prompts.some((p) => p.includes("prompt zero"))).toBe(true);
    // Here the second process waited for the first (it said who holds the session), then continued its result.
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    expect(stderrs.join("")).toMatch(/session ses_\S+ is in use by pid \d+ \(codetether run -c/);
    expect(prompts).toHaveLength(3);
    // No leftovers: the lock is released and no temp file stays behind.
    expect((await fs.readdir(box.sessionsDir)).filter((n) => !n.endsWith(".json"))).toEqual([]);
  });
});
