import fs from "node:fs/promises";
import path from "node:path";
import { writeTinyGguf } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

/** FunctionGemma's control tokens, so the tiny model tokenises the router's prompt as the real one does. */
const FUNCTION_GEMMA_SPECIALS = [
  "<start_function_declaration>",
  "<end_function_declaration>",
  "<start_function_call>",
  "<end_function_call>",
  "<start_function_response>",
  "<end_function_response>",
  "<escape>",
];

const scripted = useScriptedOpenAI();

/** A text-only OpenAI-compatible model (`supports_tools = false`) and the router enabled on a tiny GGUF. */
async function setup(routerKeys: string, answers: string[]) {
  const server = await scripted.start(answers.map((text) => ({ text })));
  const box = await makeSandbox();
  // The real FunctionGemma 270M is trained on 32k tokens; the tiny model spends about a token per character.
  const model = path.join(box.dir, "tiny-functiongemma.gguf");
  // Seed 9: weights under which greedy decoding routes the answer below to glob (many seeds end at once).
  await writeTinyGguf(model, { seed: 9, ctx: 32768, extraSpecialTokens: FUNCTION_GEMMA_SPECIALS });
  const configDir = path.join(box.dir, "config", "codetether");
  await fs.mkdir(configDir, { recursive: true });
  await fs.writeFile(
    path.join(configDir, "config.toml"),
    `[tool_router]\nenabled = true\nmodel_path = ${JSON.stringify(model)}\n${routerKeys}\n` +
      `[providers.openai.models.textonly]\nsupports_tools = false\n` +
      // Random weights write random arguments: only reading tools may run, everything else is denied.
      `[permissions]\nrules = [{ tool = "*", action = "deny" }, ${["read", "grep", "glob", "list"].map((t) => `{ tool = "${t}", action = "allow" }`).join(", ")}]\n`,
  );
  const env = {
    ...box.env,
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: server.url,
    CODETETHER_TOOL_ROUTER_THREADS: "1",
    // Greedy decoding: the tiny model's random weights then give the same routing every run.
    CODETETHER_TOOL_ROUTER_TEMPERATURE: "0",
    // Random weights never stop early: fewer output tokens keep the test quick (strings get max_tokens / 4).
    CODETETHER_TOOL_ROUTER_MAX_TOKENS: "256",
  };
  return { ...box, env };
}

function events(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("codetether run with the tool router (built binary, tiny GGUF, text-only model)", () => {
  it("routes a text-only answer over the default tool set without a context error", async () => {
    const { work, env } = await setup("", [
      "I will read README.md and then grep for TODO in src.",
      "That is all.",
    ]);
    await fs.writeFile(path.join(work, "README.md"), "# hello\n");
    const res = await runCli(
      ["run", "--json", "--max-steps", "2", "--model", "openai/textonly", "look around"],
      {
        cwd: work,
        env,
      },
    );
    expect(res.stderr).not.toMatch(/exceeds the router's context|routing failed/);
    expect(res.code, res.stderr).toBe(0);
    const all = events(res.stdout);
    const routing = all.filter((e) => e.type === "tool-routing");
    expect(routing.length, res.stdout).toBeGreaterThanOrEqual(1);
    const first = routing[0] as Record<string, number | string>;
    // Routed over the tools that can matter, not all of them, in a context sized from the model and prompt.
    expect(first.outcome, JSON.stringify(first)).toBe("routed");
    expect(first.toolsAvailable).toBeGreaterThan(20);
    expect(first.toolsDeclared).toBeLessThanOrEqual(8);
    expect(first.promptTokens).toBeLessThan(32768 - 512);
    expect(first.calls).toBeGreaterThanOrEqual(1);
    // The routed calls ran as tool calls of the turn, which then completed.
    const calls = all.filter((e) => e.type === "tool-call");
    const routed = routing.reduce((n, r) => n + (r.calls as number), 0);
    expect(calls.length).toBe(routed);
    const ends = all.filter((e) => e.type === "tool-end") as Array<{
      tool: string;
      result: { isError?: boolean; output: string };
    }>;
    expect(ends.length).toBe(calls.length);
    // Routed calls pass the same permission gate as native ones: without --yes nothing writes or executes.
    for (const end of ends.filter((e) =>
      ["bash", "write", "edit", "multiedit", "apply_patch"].includes(e.tool),
    )) {
      expect(end.result.isError, end.result.output).toBe(true);
    }
    expect(all.at(-1)?.type).toBe("done");
    // The text-only model was never sent tool schemas, and later saw the routed calls as text.
    const bodies = scripted.chatRequests().map((r) => r.body as { tools?: unknown; messages: unknown[] });
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (const body of bodies) expect(body.tools).toBeUndefined();
    expect(JSON.stringify(bodies[1]?.messages)).toContain("[used tool ");
  });

  it("reports in --json why a routing was skipped: a context too small even for one tool", async () => {
    const { work, env } = await setup("context_size = 600\n", ["I will read README.md."]);
    const res = await runCli(["run", "--json", "--model", "openai/textonly", "look"], { cwd: work, env });
    expect(res.code, res.stderr).toBe(0);
    const routing = events(res.stdout).filter((e) => e.type === "tool-routing");
    expect(routing).toEqual([
      expect.objectContaining({
        outcome: "skipped",
        reason: expect.stringMatching(/even with one tool.*context_size/),
      }),
    ]);
    expect(res.stderr).toMatch(/\[tool-router\] routing skipped/);
  });

  it("reports a text-only model's answers as not routed when the router is disabled", async () => {
    const { work, env } = await setup("", ["I will read README.md."]);
    const res = await runCli(["run", "--json", "--model", "openai/textonly", "look"], {
      cwd: work,
      env: { ...env, CODETETHER_TOOL_ROUTER_ENABLED: "false" },
    });
    expect(res.code, res.stderr).toBe(0);
    expect(events(res.stdout).filter((e) => e.type === "tool-routing")).toEqual([
      expect.objectContaining({ outcome: "skipped", reason: expect.stringMatching(/disabled/) }),
    ]);
  });

  it("models --pull --router: a configured file resolves; the default fails fast offline with what to do", async () => {
    const { work, env, dir } = await setup("", []);
    const ok = await runCli(["models", "--pull", "--router"], { cwd: work, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe(path.join(dir, "tiny-functiongemma.gguf"));
    const offline = await runCli(["models", "--pull", "--router"], {
      cwd: work,
      env: {
        ...env,
        CODETETHER_TOOL_ROUTER_MODEL_PATH: "",
        XDG_CONFIG_HOME: path.join(dir, "none"),
        CODETETHER_OFFLINE: "1",
      },
    });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(
      /tool router: model "hf:unsloth\/functiongemma-270m-it-GGUF:Q8_0" is not downloaded and downloads are disabled \(offline\).*CODETETHER_TOOL_ROUTER_MODEL_PATH/s,
    );
  });
});
