import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import {
  closeHookServers,
  events,
  hookRecords,
  M,
  makeBox,
  readJson,
  script,
  sent,
  setup,
  TRANSCRIPT_PATH_OF_INPUT,
} from "./hooks-helpers.js";

// What a hook reads on stdin: Claude Code's common fields (transcript_path, permission_mode) and automatic
// compaction's pre_compact. Real CLI, real hook processes, scripted model.

afterEach(closeHookServers);

describe("hook input (built binary, scripted model)", () => {
  it("every hook gets Claude Code's common fields: transcript_path (the session file) and permission_mode", async () => {
    const box = await makeBox();
    // One capture per event; the stop hook also copies the transcript as it is while the hook runs.
    const cmd = await script(
      box.dir,
      "record.sh",
      `input=$(cat)\nprintf '%s' "$input" > "${box.dir}/out/$1-$CODETETHER_HOOK_EVENT.json"\n` +
        `if [ "$CODETETHER_HOOK_EVENT" = stop ]; then\n` +
        `  ${TRANSCRIPT_PATH_OF_INPUT}\n` +
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

  it("pre_compact fires on automatic compaction with trigger auto, before the summary replaces the turns", async () => {
    const box = await makeBox();
    // A Claude Code style PreCompact hook: back up the transcript before older turns are summarised, and say so.
    const cmd = await script(
      box.dir,
      "backup.sh",
      `input=$(cat)\nprintf '%s' "$input" > "${box.dir}/out/compact.json"\n` +
        `${TRANSCRIPT_PATH_OF_INPUT}\n` +
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
});
