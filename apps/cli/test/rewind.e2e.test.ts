import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

const model = useScriptedOpenAI();

type Body = { messages: Array<{ role: string; content: unknown }> };
const m = ["--model", "openai/gpt-4o"];

describe("codetether rewind (built binary, scripted model)", () => {
  it("restores the agent's files and the conversation to a turn, never touching other files", async () => {
    const server = await model.start([
      { toolCalls: [{ name: "write", arguments: { path: "a.txt", content: "turn 1\n" } }] },
      { text: "one" },
      {
        toolCalls: [
          { name: "write", arguments: { path: "a.txt", content: "turn 2\n" } },
          { name: "write", arguments: { path: "new.txt", content: "created in turn 2\n" } },
        ],
      },
      { text: "two" },
      {
        toolCalls: [{ name: "edit", arguments: { path: "a.txt", oldString: "turn 2", newString: "turn 3" } }],
      },
      { text: "three" },
      { text: "after rewind" },
    ]);
    const box = await makeSandbox();
    const { work } = box;
    const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
    await fs.writeFile(path.join(work, "mine.txt"), "the user's file\n");
    const first = await runCli(["run", "--json", ...m, "turn one"], { cwd: work, env });
    const id = JSON.parse(first.stdout.trim().split("\n").at(-1) as string).sessionId as string;
    for (const prompt of ["turn two", "turn three"])
      expect((await runCli(["run", "-s", id, ...m, prompt], { cwd: work, env })).code).toBe(0);
    expect(await fs.readFile(path.join(work, "a.txt"), "utf8")).toBe("turn 3\n");
    // The user changes a file the agent never touched: a rewind must leave it alone.
    await fs.writeFile(path.join(work, "mine.txt"), "edited by the user\n");

    const filesOnly = await runCli(["rewind", id, "--to", "2", "--files", "--json"], { cwd: work, env });
    expect(filesOnly.code).toBe(0);
    expect(JSON.parse(filesOnly.stdout)).toMatchObject({ scope: "files", removedMessages: 0 });
    expect(await fs.readFile(path.join(work, "a.txt"), "utf8")).toBe("turn 2\n");

    const both = await runCli(["rewind", id, "--to", "1"], { cwd: work, env });
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(
      /Rewound .* to turn 1 \(both\): 2 file\(s\) restored \((a\.txt, new\.txt|new\.txt, a\.txt)\), 8 message\(s\) removed/,
    );
    expect(await fs.readFile(path.join(work, "a.txt"), "utf8")).toBe("turn 1\n");
    await expect(fs.access(path.join(work, "new.txt"))).rejects.toThrow();
    expect(await fs.readFile(path.join(work, "mine.txt"), "utf8")).toBe("edited by the user\n");

    // The conversation continues from turn 1: turns 2 and 3 are gone from what the model sees.
    const cont = await runCli(["run", "-s", id, ...m, "again"], { cwd: work, env });
    expect(cont.stdout).toBe("after rewind\n");
    const body = server.requests.filter((r) => r.path.endsWith("/chat/completions")).at(-1)?.body as Body;
    expect(body.messages.map((x) => x.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
    ]);
    expect(JSON.stringify(body.messages)).not.toContain("turn two");

    const bad = await runCli(["rewind", id, "--to", "9"], { cwd: work, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Turn 9 does not exist: the session has 2 turns");
    const two = await runCli(["rewind", id, "--to", "1", "--files", "--conversation"], { cwd: work, env });
    expect(two.code).toBe(2);
  });
});
