import fs from "node:fs/promises";
import path from "node:path";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { auditRecords, securityBox } from "./security-helpers.js";

// Config `[[hooks.<event>]]`: shell commands run on agent events with the event as JSON on stdin, as Claude Code's
// hooks are. Real CLI, real hook processes, scripted model.

const servers: ScriptedOpenAI[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Turns = Parameters<typeof startScriptedOpenAI>[0];
const M = ["-m", "openai/gpt-4o"];

/** A temp HOME; hook scripts go in `<dir>/h`, their captures in `<dir>/out`. */
async function makeBox() {
  const box = await securityBox();
  await fs.mkdir(box.configDir, { recursive: true });
  await fs.mkdir(path.join(box.dir, "h"));
  await fs.mkdir(path.join(box.dir, "out"));
  return box;
}

/** Writes the user config `toml` into `box` and starts the scripted model. */
async function setup(toml: string, turns: Turns, given?: Awaited<ReturnType<typeof makeBox>>) {
  const box = given ?? (await makeBox());
  const server = await startScriptedOpenAI(turns);
  servers.push(server);
  await fs.writeFile(path.join(box.configDir, "config.toml"), toml);
  const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
  const out = (name: string) => path.join(box.dir, "out", name);
  return { ...box, env, server, out };
}

/** Writes an executable hook script and returns the TOML line that runs it. */
async function script(dir: string, name: string, body: string): Promise<string> {
  const file = path.join(dir, "h", name);
  await fs.writeFile(file, `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  return `command = '${file}'`;
}

const events = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const readJson = async (file: string) => JSON.parse(await fs.readFile(file, "utf8"));
const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );
/** Whether `pid` is a live process (a zombie waiting to be reaped is not). */
const running = async (pid: number) => {
  const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat !== "" && stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
};
/** Everything the model was sent in request `i`, as one string. */
const sent = (server: ScriptedOpenAI, i: number) => JSON.stringify(server.requests[i]?.body ?? {});
const hookRecords = async (auditDir: string) =>
  (await auditRecords(auditDir)).filter((r) => r.action === "hook.run") as Array<{
    resource: string;
    outcome: string;
    details: Record<string, unknown>;
  }>;

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

  it("a sub-agent started by the task tool is held to the same pre_tool_use hooks", async () => {
    const box = await makeBox();
    const cmd = await script(
      box.dir,
      "deny.sh",
      `cat > /dev/null\necho "no shell in sub-agents either" >&2\nexit 2`,
    );
    const t = await setup(
      `[[hooks.pre_tool_use]]\nmatcher = "bash"\n${cmd}\n`,
      [
        { toolCalls: [{ name: "task", arguments: { description: "make marker", prompt: "touch marker" } }] },
        { toolCalls: [{ name: "bash", arguments: { command: "touch marker", description: "x" } }] },
        { text: "the hook refused it" },
        { text: "the sub-agent could not" },
      ],
      box,
    );
    const res = await runCli(["run", "--json", ...M, "delegate"], { cwd: t.work, env: t.env });
    expect(res.code).toBe(0);
    expect(await exists(path.join(t.work, "marker"))).toBe(false);
    // Request 2 is the sub-agent's second call: it saw the refusal as its bash result.
    expect(sent(t.server, 2)).toContain("no shell in sub-agents either");
    const records = await hookRecords(t.auditDir);
    expect(records.map((r) => [r.resource, r.details.decision])).toEqual([["pre_tool_use", "block"]]);
  });

  it("every hook gets Claude Code's common fields: transcript_path (the session file) and permission_mode", async () => {
    const box = await makeBox();
    // One capture per event; the stop hook also copies the transcript as it is while the hook runs.
    const cmd = await script(
      box.dir,
      "record.sh",
      `input=$(cat)\nprintf '%s' "$input" > "${box.dir}/out/$1-$CODETETHER_HOOK_EVENT.json"\n` +
        `if [ "$CODETETHER_HOOK_EVENT" = stop ]; then\n` +
        `  p=$(sed -n 's/.*"transcript_path":"\\([^"]*\\)".*/\\1/p' <<<"$input")\n` +
        `  cp "$p" "${box.dir}/out/$1-transcript-at-stop.json"\nfi`,
    );
    const hook = (run: string) => `command = '${cmd.slice("command = '".length, -1)} ${run}'`;
    const toml = (run: string) =>
      ["session_start", "user_prompt_submit", "pre_tool_use", "post_tool_use", "stop"]
        .map((event) => `[[hooks.${event}]]\n${hook(run)}\n`)
        .join("");
    const t = await setup(
      toml("plain"),
      [{ toolCalls: [{ name: "write", arguments: { path: "a.txt", content: "x" } }] }, { text: "wrote it" }],
      box,
    );
    const plain = await runCli(["run", "--json", ...M, "write a.txt"], { cwd: t.work, env: t.env });
    expect(plain.code).toBe(0);
    const id = events(plain.stdout).find((e) => e.type === "done").sessionId;
    const transcript = path.join(t.sessionsDir, `${id}.json`);
    for (const event of ["session_start", "user_prompt_submit", "pre_tool_use", "post_tool_use", "stop"]) {
      const input = await readJson(t.out(`plain-${event}.json`));
      // Non-interactive `run` without --yes refuses what an `ask` rule would prompt for: Claude Code's dontAsk.
      expect(input, event).toMatchObject({
        session_id: id,
        transcript_path: transcript,
        cwd: t.work,
        permission_mode: "dontAsk",
      });
    }
    const atStop = await readJson(t.out("plain-transcript-at-stop.json"));
    expect(atStop.id).toBe(id);
    expect(JSON.stringify(atStop.messages)).toContain("write a.txt");
    expect(JSON.stringify(atStop.messages)).toContain("wrote it");
    expect((await readJson(transcript)).id).toBe(id);

    // --yes approves every `ask` rule without asking: bypassPermissions.
    const y = await setup(toml("yes"), [{ text: "ok" }], box);
    const yes = await runCli(["run", "--json", "--yes", ...M, "hi"], { cwd: y.work, env: y.env });
    expect(yes.code).toBe(0);
    expect(await readJson(y.out("yes-user_prompt_submit.json"))).toMatchObject({
      permission_mode: "bypassPermissions",
    });

    // After plan_enter, the gate refuses writes and commands: plan.
    const p = await setup(
      toml("plan"),
      [
        { toolCalls: [{ name: "plan_enter", arguments: { goal: "look first" } }] },
        { toolCalls: [{ name: "read", arguments: { path: "a.txt" } }] },
        { text: "planned" },
      ],
      box,
    );
    await fs.writeFile(path.join(p.work, "a.txt"), "x");
    const plan = await runCli(["run", "--json", ...M, "plan it"], { cwd: p.work, env: p.env });
    expect(plan.code).toBe(0);
    expect(await readJson(p.out("plan-user_prompt_submit.json"))).toMatchObject({
      permission_mode: "dontAsk",
    });
    expect(await readJson(p.out("plan-pre_tool_use.json"))).toMatchObject({
      tool_name: "read",
      permission_mode: "plan",
    });
    expect(await readJson(p.out("plan-stop.json"))).toMatchObject({ permission_mode: "plan" });
  });

  it("the sub-agents of `codetether swarm` are held to the same pre_tool_use hooks", async () => {
    const box = await makeBox();
    const cmd = await script(
      box.dir,
      "deny-write.sh",
      `cat > "${box.dir}/out/swarm-pre.json"\necho "no writes from swarm sub-agents" >&2\nexit 2`,
    );
    const t = await setup(
      `[[hooks.pre_tool_use]]\nmatcher = "write"\n${cmd}\n`,
      [
        { toolCalls: [{ name: "write", arguments: { path: "swarm.txt", content: "x" } }] },
        { text: "the hook refused it" },
      ],
      box,
    );
    const res = await runCli(["swarm", "--strategy", "none", "--json", ...M, "write swarm.txt"], {
      cwd: t.work,
      env: t.env,
    });
    expect(res.code).toBe(0);
    expect(await exists(path.join(t.work, "swarm.txt"))).toBe(false);
    expect(sent(t.server, 1)).toContain("no writes from swarm sub-agents");
    expect(await readJson(t.out("swarm-pre.json"))).toMatchObject({
      hook_event_name: "PreToolUse",
      tool_name: "write",
      permission_mode: "bypassPermissions",
    });
    const records = await hookRecords(t.auditDir);
    expect(records.map((r) => [r.resource, r.details.decision])).toEqual([["pre_tool_use", "block"]]);
  });

  it("the story agents of `codetether ralph run` are held to the same pre_tool_use hooks", async () => {
    const box = await makeBox();
    const cmd = await script(
      box.dir,
      "deny-write.sh",
      `cat > /dev/null\necho "no writes from ralph story agents" >&2\nexit 2`,
    );
    const t = await setup(
      `[[hooks.pre_tool_use]]\nmatcher = "write"\n${cmd}\n`,
      [
        { toolCalls: [{ name: "write", arguments: { path: "story.txt", content: "x" } }] },
        { text: "the hook refused it" },
      ],
      box,
    );
    const prd = {
      project: "demo",
      feature: "story",
      quality_checks: { test: "test -f story.txt" },
      user_stories: [
        {
          id: "US-1",
          title: "Write story.txt",
          description: "create story.txt",
          acceptance_criteria: ["story.txt exists"],
          priority: 1,
          depends_on: [],
          complexity: 1,
          passes: false,
        },
      ],
    };
    await fs.writeFile(path.join(t.work, "prd.json"), JSON.stringify(prd));
    const res = await runCli(["ralph", "run", "--max-iterations", "1", "--json", ...M], {
      cwd: t.work,
      env: t.env,
    });
    expect(res.code).not.toBe(0);
    expect(await exists(path.join(t.work, "story.txt"))).toBe(false);
    expect(sent(t.server, 1)).toContain("no writes from ralph story agents");
    const records = await hookRecords(t.auditDir);
    expect(records.map((r) => [r.resource, r.details.decision])).toEqual([["pre_tool_use", "block"]]);
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

  it("pre_compact fires on automatic compaction with trigger auto, before the summary replaces the turns", async () => {
    const box = await makeBox();
    // A Claude Code style PreCompact hook: back up the transcript before older turns are summarised, and say so.
    const cmd = await script(
      box.dir,
      "backup.sh",
      `input=$(cat)\nprintf '%s' "$input" > "${box.dir}/out/compact.json"\n` +
        `p=$(sed -n 's/.*"transcript_path":"\\([^"]*\\)".*/\\1/p' <<<"$input")\n` +
        `cp "$p" "${box.dir}/out/backup.json"\n` +
        `echo '{"systemMessage":"transcript backed up before compaction"}'`,
    );
    // A context window smaller than the system prompt and tool definitions: every step is over the threshold, and
    // the second turn is the first with an older turn to summarise.
    const t = await setup(
      `[providers.openai.models."gpt-4o"]\ncontext_window = 1000\nmax_output_tokens = 200\n` +
        `[[hooks.pre_compact]]\nmatcher = "auto"\n${cmd}\n`,
      [{ text: "one" }, { text: "summary of the earlier turns" }, { text: "two" }],
      box,
    );
    const lines = ["first question", "second question"].map((text) => JSON.stringify({ type: "user", text }));
    const res = await runCli(["run", "--input-format", "stream-json", ...M], {
      cwd: t.work,
      env: t.env,
      input: `${lines.join("\n")}\n`,
    });
    expect(res.code).toBe(0);
    const all = events(res.stdout);
    const id = all.find((e) => e.type === "done").sessionId;
    expect(await readJson(t.out("compact.json"))).toMatchObject({
      hook_event_name: "PreCompact",
      trigger: "auto",
      session_id: id,
      transcript_path: path.join(t.sessionsDir, `${id}.json`),
    });
    // The hook ran before the summary: its backup still has the first turn and no summary; the session now does.
    const backup = await readJson(t.out("backup.json"));
    expect(JSON.stringify(backup.messages)).toContain("first question");
    expect(backup.summary).toBeUndefined();
    const saved = await readJson(path.join(t.sessionsDir, `${id}.json`));
    expect(saved.summary).toBe("summary of the earlier turns");
    // Its systemMessage reached the user before the compaction event; the model's last request has the summary.
    const notice = all.findIndex((e) => e.type === "hook-notice" && e.event === "pre_compact");
    const compaction = all.findIndex((e) => e.type === "compaction");
    expect(all[notice]?.message).toBe("transcript backed up before compaction");
    expect(notice).toBeGreaterThan(-1);
    expect(compaction).toBeGreaterThan(notice);
    expect(t.server.requests).toHaveLength(3);
    expect(sent(t.server, 2)).toContain("summary of the earlier turns");
    expect(all.filter((e) => e.type === "done").map((e) => e.text)).toEqual(["one", "two"]);
    const [record] = await hookRecords(t.auditDir);
    expect(record).toMatchObject({ resource: "pre_compact", outcome: "success" });
    expect(record?.details).toMatchObject({ subject: "auto", decision: "continue" });
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
