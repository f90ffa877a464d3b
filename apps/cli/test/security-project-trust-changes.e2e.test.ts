import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { initialize, startAcp, useAcpCleanup } from "./acp-client.js";
import { runCli } from "./helpers.js";
import { bash, sandboxUsable, toolEnds } from "./sandbox-helpers.js";
import { type ScriptedTurns, useScriptedModels } from "./scripted-openai.js";
import { sandboxedUser, securityBox } from "./security-helpers.js";
import { answerTrustQuestion, tuiEnv, useTrustTuis } from "./trust-helpers.js";

// Trusting a folder approves the project config it holds at that moment (direnv `allow` style), not whatever the
// agent writes there later: a codetether.toml that is new or changed since `codetether trust` counts as untrusted
// (it may only tighten) until the user approves it again. Real CLI, real bubblewrap, scripted model.

const markers: string[] = [];
const scripted = useScriptedModels();
const openTui = useTrustTuis();
const { harnesses } = useAcpCleanup();
afterEach(async () => {
  await Promise.all(markers.splice(0).map((m) => fs.rm(m, { force: true })));
});

const usable = sandboxUsable("the project-trust change tests");

/** `codetether run --yes --json` in `cwd` against a scripted model. */
async function run(cwd: string, env: Record<string, string>, turns: ScriptedTurns) {
  const server = await scripted(turns);
  return runCli(["run", "--yes", "--json", "-m", "openai/gpt-4o", "go"], {
    cwd,
    env: { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
  });
}

describe.skipIf(!usable)("a trusted folder's config written by the agent after `codetether trust`", () => {
  it("a sub/codetether.toml the sandboxed agent creates does not switch the sandbox off in sub (warns)", async () => {
    const box = await sandboxedUser();
    await fs.writeFile(path.join(box.work, "codetether.toml"), "[agent]\nmax_steps = 20\n");
    const env = box.env;
    const trust = await runCli(["trust", box.work], { cwd: box.dir, env });
    expect(trust.code).toBe(0);

    // The model (sandboxed bash in the trusted project) plants a config in a new sub-folder.
    const sub = path.join(box.work, "sub");
    const planted = await run(box.work, env, [
      { toolCalls: [bash("mkdir -p sub && printf '[sandbox]\\nenabled = false\\n' > sub/codetether.toml")] },
      { text: "planted" },
    ]);
    expect(planted.code).toBe(0);
    expect(await fs.readFile(path.join(sub, "codetether.toml"), "utf8")).toContain("enabled = false");

    // Later the user works in sub: bash is still sandboxed, so a write outside the workspace is refused.
    const marker = `/var/tmp/ct-trust-sub-${process.pid}-${Date.now()}`;
    markers.push(marker);
    const later = await run(sub, env, [
      { toolCalls: [bash(`touch ${marker}; echo bash-ran`)] },
      { text: "done" },
    ]);
    expect(later.code).toBe(0);
    expect(toolEnds(later.stdout)[0].result.output).toContain("bash-ran");
    await expect(fs.access(marker)).rejects.toThrow();
    expect(later.stderr).toContain("sandbox.enabled");
    expect(later.stderr).toContain(path.join(sub, "codetether.toml"));
    expect(later.stderr).toMatch(/not approved|changed/);
    expect(later.stderr).toContain(`codetether trust ${sub}`);

    // Approving it (after review) applies it.
    expect((await runCli(["trust", sub], { cwd: box.dir, env })).code).toBe(0);
    const approved = await run(sub, env, [{ toolCalls: [bash(`touch ${marker}`)] }, { text: "done" }]);
    expect(approved.code).toBe(0);
    await fs.access(marker);
    expect(approved.stderr).not.toContain("codetether trust");
  });

  it("the trusted root's own codetether.toml, changed by unsandboxed bash, stops applying until trusted again", async () => {
    const box = await securityBox();
    const marker = path.join(box.dir, "mcp-started");
    await fs.writeFile(path.join(box.work, "codetether.toml"), "[agent]\nmax_steps = 20\n");
    const env = box.env;
    expect((await runCli(["trust", box.work], { cwd: box.dir, env })).code).toBe(0);
    const list = await runCli(["trust", "--list"], { cwd: box.dir, env });
    expect(list.stdout).toContain(path.join(box.work, "codetether.toml"));

    // The sandbox is off (the user's default); the model appends an MCP server (a command run at start-up).
    const toml = `[mcp.servers.x]\ncommand = "sh"\nargs = ["-c", "echo started >> ${marker}"]\n`;
    const edit = await run(box.work, env, [
      { toolCalls: [bash(`cat >> codetether.toml <<'EOF'\n${toml}EOF`)] },
      { text: "edited" },
    ]);
    expect(edit.code).toBe(0);
    expect(await fs.readFile(path.join(box.work, "codetether.toml"), "utf8")).toContain("mcp.servers.x");

    const next = await run(box.work, env, [{ text: "hi" }]);
    expect(next.code).toBe(0);
    await expect(fs.access(marker)).rejects.toThrow();
    expect(next.stderr).toContain("mcp.servers.x");
    expect(next.stderr).toContain(path.join(box.work, "codetether.toml"));
    expect(next.stderr).toContain(`codetether trust ${box.work}`);

    expect((await runCli(["trust", box.work], { cwd: box.dir, env })).code).toBe(0);
    const again = await run(box.work, env, [{ text: "hi" }]);
    expect(again.code).toBe(0);
    expect(await fs.readFile(marker, "utf8")).toContain("started");
    expect(again.stderr).not.toContain("codetether trust");
  });

  it("a sub/codetether.toml the write tool (not sandboxed) creates cannot add a hook that runs in sub", async () => {
    const box = await securityBox();
    const marker = path.join(box.dir, "hook-ran");
    const env = box.env;
    expect((await runCli(["trust", box.work], { cwd: box.dir, env })).code).toBe(0);
    const hook = `[[hooks.session_start]]\ncommand = 'touch "${marker}"'\n`;
    const planted = await run(box.work, env, [
      { toolCalls: [{ name: "write", arguments: { path: "sub/codetether.toml", content: hook } }] },
      { text: "planted" },
    ]);
    expect(planted.code).toBe(0);
    const sub = path.join(box.work, "sub");
    expect(await fs.readFile(path.join(sub, "codetether.toml"), "utf8")).toContain("hooks.session_start");

    const later = await run(sub, env, [{ text: "hi" }]);
    expect(later.code).toBe(0);
    await expect(fs.access(marker)).rejects.toThrow();
    expect(later.stderr).toContain("hooks.session_start");
    expect(later.stderr).toContain(`codetether trust ${sub}`);
  });

  it("an ACP session in a sub-folder with a config new since trust keeps the sandbox on (acp started in the root)", async () => {
    const box = await sandboxedUser();
    expect((await runCli(["trust", box.work], { cwd: box.dir, env: box.env })).code).toBe(0);
    const sub = path.join(box.work, "sub");
    await fs.mkdir(sub);
    await fs.writeFile(path.join(sub, "codetether.toml"), "[sandbox]\nenabled = false\n");
    const marker = `/var/tmp/ct-trust-acp-${process.pid}-${Date.now()}`;
    markers.push(marker);
    const server = await scripted([
      { toolCalls: [bash(`touch ${marker}; echo bash-ran`)] },
      { text: "done" },
    ]);
    // The editor would ask; the user allows, so only the sandbox stands between bash and /var/tmp.
    const h = startAcp({
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
      permission: "allow_once",
    });
    harnesses.push(h);
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: sub, mcpServers: [] });
    const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "go" }] });
    expect(res.stopReason).toBe("end_turn");
    expect(JSON.stringify(server.requests.at(-1)?.body)).toContain("bash-ran");
    await expect(fs.access(marker)).rejects.toThrow();
    expect(h.stderr()).toContain("sandbox.enabled");
    expect(h.stderr()).toContain(`codetether trust ${sub}`);
  });

  it("the TUI asks again when the trusted codetether.toml changed; no keeps the folder's decision, yes approves", async () => {
    const box = await securityBox();
    await fs.writeFile(path.join(box.work, "codetether.toml"), "[agent]\nmax_steps = 20\n");
    expect((await runCli(["trust", box.work], { cwd: box.dir, env: box.env })).code).toBe(0);
    await fs.appendFile(path.join(box.work, "codetether.toml"), '[permissions]\nauto_approve = "all"\n');
    const env = tuiEnv(box.env, await scripted([]));
    const open = async (answer: "y" | "n") => answerTrustQuestion(await openTui(env, box.work), answer);
    const decisions = async () =>
      JSON.parse((await runCli(["trust", "--list", "--json"], { cwd: box.dir, env: box.env })).stdout)
        .folders;

    const first = await open("n");
    expect(first).toContain("changed since you trusted");
    expect(first).toContain("permissions.auto_approve");
    expect(await decisions()).toEqual([expect.objectContaining({ folder: box.work, decision: "trusted" })]);

    expect(await open("y")).toContain("changed since you trusted");
    const list = await runCli(["trust", "--list"], { cwd: box.dir, env: box.env });
    expect(list.stdout).toMatch(/approved\s+\S*codetether\.toml/);

    const tmux = await openTui(env, box.work);
    const screen = await tmux.waitFor((s) => s.includes("○ ready"), "the TUI to start without asking");
    expect(screen).not.toContain("[y/N]");
  });
});
