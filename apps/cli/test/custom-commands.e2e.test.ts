import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { type ScriptedTurns, toolNames, useScriptedOpenAI } from "./scripted-openai.js";

const model = useScriptedOpenAI();

async function setup(turns: ScriptedTurns, files: Record<string, string>) {
  const box = await model.boxFor(turns);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(box.dir, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
  }
  return box;
}

const bodies = () => model.chatBodies();
const text = (c: unknown) => (typeof c === "string" ? c : JSON.stringify(c));

const REVIEWER =
  "---\ndescription: Reviews code, never edits\nmodel: openai/gpt-4o-mini\ntools: [read, grep]\npermissions:\n  read secret/**: deny\n---\nYou are the reviewer. Report problems, change nothing.\n";
const REVIEW_CMD =
  "---\ndescription: Review a file for a concern\nagent: reviewer\n---\nReview $1 for $2. Everything: $ARGUMENTS\n";

describe("custom commands and agents (built binary, scripted model)", () => {
  it("run --command expands the template and runs as the command's agent, with its model, prompt and tools", async () => {
    const { work, env } = await setup(
      [
        { text: "untrusted run" },
        { toolCalls: [{ name: "read", arguments: { path: "secret/k.txt" } }] },
        { text: "reviewed" },
      ],
      {
        "work/.codetether/commands/review.md": REVIEW_CMD,
        "work/.codetether/agents/reviewer.md": REVIEWER,
        "work/secret/k.txt": "hunter2\n",
      },
    );
    // The project is trusted (its agent may pick the model); untrusted, the model is ignored with a warning.
    const untrusted = await runCli(["run", "--json", "--command", "review", "x", "y"], { cwd: work, env });
    expect(untrusted.stderr).toContain('"model" ignored: this folder is not trusted');
    expect(untrusted.code).toBe(0);
    expect(bodies()[0]?.model).not.toBe("gpt-4o-mini");
    const before = bodies().length;
    const res = await runCli(["run", "--json", "--command", "review", "src/a.ts", '"race conditions"'], {
      cwd: work,
      env: { ...env, CODETETHER_TRUST_PROJECT: "1" },
    });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const [first, second] = bodies().slice(before);
    expect(first?.model).toBe("gpt-4o-mini");
    expect(text(first?.messages[0]?.content)).toContain("You are the reviewer.");
    expect(text(first?.messages.at(-1)?.content)).toBe(
      'Review src/a.ts for race conditions. Everything: src/a.ts "race conditions"',
    );
    expect(toolNames(first)).toEqual(["grep", "read"]);
    // The agent's permissions deny the read; the model sees why and the file never leaves the disk.
    const result = text(second?.messages.at(-1)?.content);
    expect(result).toContain('the "reviewer" agent may not use read');
    expect(result).not.toContain("hunter2");
  });

  it("user commands from $XDG_CONFIG_HOME, --agent alone, -c keeps the agent, unknown names exit 2", async () => {
    const { work, env } = await setup(
      [{ text: "hi Ada" }, { text: "as reviewer" }, { text: "still reviewer" }],
      {
        "config/codetether/commands/greet.md": "Say hello to $1.\n",
        "config/codetether/agents/reviewer.md": REVIEWER,
      },
    );
    const greet = await runCli(["run", "--command", "greet", "Ada", "-m", "openai/gpt-4o"], {
      cwd: work,
      env,
    });
    expect(greet.code).toBe(0);
    expect(text(bodies()[0]?.messages.at(-1)?.content)).toBe("Say hello to Ada.");
    expect(toolNames(bodies()[0])).toContain("write");

    const asAgent = await runCli(["run", "--agent", "reviewer", "look around"], { cwd: work, env });
    expect(asAgent.code).toBe(0);
    expect(toolNames(bodies()[1])).toEqual(["grep", "read"]);
    const cont = await runCli(["run", "-c", "again"], { cwd: work, env });
    expect(cont.code).toBe(0);
    expect(toolNames(bodies()[2])).toEqual(["grep", "read"]);
    expect(text(bodies()[2]?.messages[0]?.content)).toContain("You are the reviewer.");

    const unknown = await runCli(["run", "--command", "nope", "x"], { cwd: work, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No custom command "nope". Defined: greet.');
    const noAgent = await runCli(["run", "--agent", "ghost", "x"], { cwd: work, env });
    expect(noAgent.code).toBe(2);
    expect(noAgent.stderr).toContain('No custom agent "ghost". Defined: reviewer.');
  });

  it("the task tool runs a sub-agent as a custom agent (its prompt and tools only)", async () => {
    const { work, env } = await setup(
      [
        {
          toolCalls: [
            {
              name: "task",
              arguments: { description: "review a.ts", prompt: "Review a.ts", agent: "reviewer" },
            },
          ],
        },
        { text: "a.ts looks fine" },
        { text: "The reviewer says a.ts looks fine." },
      ],
      { "work/.codetether/agents/reviewer.md": REVIEWER },
    );
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "get a.ts reviewed"], {
      cwd: work,
      env,
    });
    expect(res.code).toBe(0);
    const [parent, sub, final] = bodies();
    expect(toolNames(parent)).toContain("task");
    expect(text(sub?.messages[0]?.content)).toContain("You are the reviewer.");
    expect(toolNames(sub)).toEqual(["grep", "read"]);
    expect(text(final?.messages.at(-1)?.content)).toContain("a.ts looks fine");
  });
});
