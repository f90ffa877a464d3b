import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import {
  closeHookServers,
  events,
  exists,
  hookRecords,
  M,
  makeBox,
  readJson,
  running,
  script,
  sent,
  setup,
} from "./hooks-helpers.js";

// Config `[[hooks.<event>]]`: shell commands run on agent events with the event as JSON on stdin, as Claude Code's
// hooks are. Real CLI, real hook processes, scripted model.

afterEach(closeHookServers);

describe("hooks (built binary, scripted model)", () => {
  it("pre_tool_use exit 2 refuses bash and write calls; the model gets stderr; each run is audited", async () => {
    const box = await makeBox();
    const cmd = await script(
      box.dir,
      "policy.sh",
      // One file per run: the two calls run in parallel, and so do their hooks.
      `cat > "${box.dir}/out/pre-$$.json"\necho "policy: no $(basename "$0") writes here" >&2\nexit 2`,
    );
    const t = await setup(
      `[[hooks.pre_tool_use]]\nmatcher = "Bash|write"\n${cmd}\n`,
      [
        {
          toolCalls: [
            { name: "bash", arguments: { command: "touch marker", description: "make a marker" } },
            { name: "write", arguments: { path: "written.txt", content: "x" } },
          ],
        },
        { text: "understood" },
      ],
      box,
    );
    const res = await runCli(["run", "--json", ...M, "make files"], { cwd: t.work, env: t.env });
    expect(res.code).toBe(0);
    expect(await exists(path.join(t.work, "marker"))).toBe(false);
    expect(await exists(path.join(t.work, "written.txt"))).toBe(false);
    const ends = events(res.stdout).filter((e) => e.type === "tool-end");
    expect(ends).toHaveLength(2);
    for (const end of ends) {
      expect(end.result.isError).toBe(true);
      expect(end.result.output).toBe("policy: no policy.sh writes here");
    }
    // The model's next request carries the refusal as the tool results.
    expect(sent(t.server, 1)).toContain("policy: no policy.sh writes here");
    const captures = (await fs.readdir(path.join(t.dir, "out"))).filter((n) => n.startsWith("pre-"));
    const inputs = await Promise.all(captures.map((n) => readJson(t.out(n))));
    expect(inputs.map((i) => i.tool_name).sort()).toEqual(["bash", "write"]);
    const bashInput = inputs.find((i) => i.tool_name === "bash");
    expect(bashInput).toMatchObject({
      hook_event_name: "PreToolUse",
      tool_input: { command: "touch marker" },
      cwd: t.work,
    });
    expect(bashInput.session_id).toMatch(/.+/);
    expect(bashInput.tool_use_id).toMatch(/.+/);
    const records = await hookRecords(t.auditDir);
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r).toMatchObject({ resource: "pre_tool_use", outcome: "denied" });
      expect(r.details).toMatchObject({ exit_code: 2, decision: "block", event: "pre_tool_use" });
      expect(r.details.command).toContain("policy.sh");
      expect(typeof r.details.duration_ms).toBe("number");
    }
  });

  it("pre_tool_use updatedInput replaces the input; post_tool_use gets the response and adds context", async () => {
    const box = await makeBox();
    const pre = await script(
      box.dir,
      "rewrite.sh",
      `cat > /dev/null\necho '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","updatedInput":{"command":"echo rewritten | tee out.txt","description":"rewritten"}}}'`,
    );
    const post = await script(
      box.dir,
      "format.sh",
      `cat > "${box.dir}/out/post.json"\necho '{"hookSpecificOutput":{"hookEventName":"PostToolUse","additionalContext":"formatter ran: 0 changes"}}'`,
    );
    const t = await setup(
      `[[hooks.pre_tool_use]]\nmatcher = "bash"\n${pre}\n[[hooks.post_tool_use]]\nmatcher = "ba*"\n${post}\n`,
      [
        {
          toolCalls: [{ name: "bash", arguments: { command: "echo original > out.txt", description: "x" } }],
        },
        { text: "ok" },
      ],
      box,
    );
    const res = await runCli(["run", "--json", ...M, "write out.txt"], { cwd: t.work, env: t.env });
    expect(res.code).toBe(0);
    expect(await fs.readFile(path.join(t.work, "out.txt"), "utf8")).toBe("rewritten\n");
    const start = events(res.stdout).find((e) => e.type === "tool-start");
    expect(start.args.command).toBe("echo rewritten | tee out.txt");
    const postInput = await readJson(t.out("post.json"));
    expect(postInput).toMatchObject({
      hook_event_name: "PostToolUse",
      tool_name: "bash",
      tool_input: { command: "echo rewritten | tee out.txt" },
      tool_response: { is_error: false },
    });
    expect(postInput.tool_response.output).toContain("rewritten");
    expect(sent(t.server, 1)).toContain("formatter ran: 0 changes");
    const records = await hookRecords(t.auditDir);
    expect(records.map((r) => [r.resource, r.details.decision])).toEqual([
      ["pre_tool_use", "continue"],
      ["post_tool_use", "continue"],
    ]);
    expect(records[0]?.details.updated_input).toBe(true);
  });

  it("user_prompt_submit blocks a prompt (nothing reaches the model) or adds context; session_start adds context", async () => {
    const box = await makeBox();
    const submit = await script(
      box.dir,
      "prompt.sh",
      `input=$(cat)\nif grep -q password <<<"$input"; then echo "prompts may not mention passwords" >&2; exit 2; fi\necho "ticket ABC-123 is open"`,
    );
    const start = await script(
      box.dir,
      "start.sh",
      `cat > "${box.dir}/out/start.json"\necho '{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"house rule: answer briefly"}}'`,
    );
    const t = await setup(
      `[[hooks.user_prompt_submit]]\n${submit}\n[[hooks.session_start]]\nmatcher = "startup"\n${start}\n`,
      [{ text: "noted" }],
      box,
    );
    const blocked = await runCli(["run", "--json", ...M, "my password is hunter2"], {
      cwd: t.work,
      env: t.env,
    });
    expect(blocked.code).toBe(1);
    const error = events(blocked.stdout).find((e) => e.type === "error");
    expect(error).toMatchObject({ kind: "hook_blocked" });
    expect(error.message).toContain("prompts may not mention passwords");
    expect(t.server.requests).toHaveLength(0);

    const text = await runCli(["run", ...M, "what is open?"], { cwd: t.work, env: t.env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("noted");
    const body = sent(t.server, 0);
    expect(body).toContain("what is open?");
    expect(body).toContain("ticket ABC-123 is open");
    expect(body).toContain("house rule: answer briefly");
    expect(await readJson(t.out("start.json"))).toMatchObject({
      hook_event_name: "SessionStart",
      source: "startup",
    });
    const records = await hookRecords(t.auditDir);
    expect(records.find((r) => r.resource === "user_prompt_submit")).toMatchObject({ outcome: "denied" });
  });

  it("a stop hook's exit 2 keeps the agent going with its feedback, and cannot loop forever", async () => {
    const box = await makeBox();
    const once = await script(
      box.dir,
      "stop-once.sh",
      `if grep -q '"stop_hook_active":false' ; then echo "run the tests before stopping" >&2; exit 2; fi`,
    );
    const t = await setup(
      `[[hooks.stop]]\n${once}\n`,
      [{ text: "done" }, { text: "tests ran, all green" }],
      box,
    );
    const res = await runCli(["run", "--json", ...M, "fix it"], { cwd: t.work, env: t.env });
    expect(res.code).toBe(0);
    expect(events(res.stdout).at(-1)).toMatchObject({ type: "done", text: "tests ran, all green" });
    expect(t.server.requests).toHaveLength(2);
    expect(sent(t.server, 1)).toContain("run the tests before stopping");

    const always = await script(box.dir, "stop-always.sh", `echo "never done" >&2\nexit 2`);
    const u = await setup(
      `[[hooks.stop]]\n${always}\n`,
      Array.from({ length: 8 }, (_, i) => ({ text: `answer ${i}` })),
    );
    const looped = await runCli(["run", "--json", ...M, "go"], { cwd: u.work, env: u.env });
    expect(looped.code).toBe(0);
    // The first answer plus three continues, then the agent stops anyway and says why.
    expect(u.server.requests).toHaveLength(4);
    const notice = events(looped.stdout).find((e) => e.type === "hook-notice");
    expect(notice).toMatchObject({ event: "stop" });
    expect(notice.message).toContain("stopping anyway");
  });

  it("pre_compact fires before a compaction, with its trigger", async () => {
    const box = await makeBox();
    const cmd = await script(box.dir, "compact.sh", `cat > "${box.dir}/out/compact.json"`);
    const t = await setup(
      `[[hooks.pre_compact]]\n${cmd}\n`,
      [
        { text: "one" },
        { text: "two" },
        { text: "three" },
        { text: "summary of the earlier turns" },
        { text: "four" },
      ],
      box,
    );
    const lines = ["a", "b", "c"].map((text) => JSON.stringify({ type: "user", text })).join("\n");
    const first = await runCli(["run", "--input-format", "stream-json", ...M], {
      cwd: t.work,
      env: t.env,
      input: `${lines}\n`,
    });
    expect(first.code).toBe(0);
    expect(await exists(t.out("compact.json"))).toBe(false);
    const id = events(first.stdout).find((e) => e.type === "done").sessionId;
    const second = await runCli(["run", "--json", ...M, "-s", id, "--compact", "d"], {
      cwd: t.work,
      env: t.env,
    });
    expect(second.code).toBe(0);
    expect(await readJson(t.out("compact.json"))).toMatchObject({
      hook_event_name: "PreCompact",
      trigger: "manual",
      session_id: id,
    });
  });

  it("a hook that outlives its timeout is killed with its process group; the run continues with a warning", async () => {
    const box = await makeBox();
    const cmd = await script(box.dir, "slow.sh", `sleep 300 &\necho $! > "${box.dir}/out/child.pid"\nwait`);
    const t = await setup(
      `[[hooks.pre_tool_use]]\ntimeout = 1\n${cmd}\n`,
      [
        { toolCalls: [{ name: "write", arguments: { path: "a.txt", content: "still written" } }] },
        { text: "ok" },
      ],
      box,
    );
    const res = await runCli(["run", ...M, "write a.txt"], { cwd: t.work, env: t.env });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("timed out");
    expect(await fs.readFile(path.join(t.work, "a.txt"), "utf8")).toBe("still written");
    const pid = Number(await fs.readFile(t.out("child.pid"), "utf8"));
    expect(await running(pid)).toBe(false);
    const [record] = await hookRecords(t.auditDir);
    expect(record).toMatchObject({ outcome: "failure" });
    expect(record?.details).toMatchObject({ decision: "timeout", timed_out: true, exit_code: null });
  });

  it("an untrusted project's hooks are named in the warning and never run; a trusted project's run", async () => {
    const t = await setup("", [{ text: "one" }, { text: "two" }]);
    const marker = t.out("project-hook-ran");
    await fs.writeFile(
      path.join(t.work, "codetether.toml"),
      `[[hooks.session_start]]\ncommand = 'touch "${marker}"'\n`,
    );
    const untrusted = await runCli(["run", ...M, "hi"], { cwd: t.work, env: t.env });
    expect(untrusted.code).toBe(0);
    expect(untrusted.stderr).toContain("hooks.session_start");
    expect(await exists(marker)).toBe(false);
    expect(await hookRecords(t.auditDir)).toHaveLength(0);

    expect((await runCli(["trust", t.work], { cwd: t.work, env: t.env })).code).toBe(0);
    const trusted = await runCli(["run", ...M, "hi"], { cwd: t.work, env: t.env });
    expect(trusted.code).toBe(0);
    expect(await exists(marker)).toBe(true);
    expect(await hookRecords(t.auditDir)).toHaveLength(1);
  });

  it("an unknown key in a hook table is a config error naming the closest valid key", async () => {
    const t = await setup(`[[hooks.pre_tool_use]]\nmatchr = "bash"\ncommand = "true"\n`, []);
    const res = await runCli(["run", ...M, "hi"], { cwd: t.work, env: t.env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("hooks.pre_tool_use[0].matchr");
    expect(res.stderr).toContain("hooks.pre_tool_use[0].matcher");
    const event = await setup(`[[hooks.pre_tool]]\ncommand = "true"\n`, []);
    const bad = await runCli(["run", ...M, "hi"], { cwd: event.work, env: event.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("hooks.pre_tool_use");
  });
});
