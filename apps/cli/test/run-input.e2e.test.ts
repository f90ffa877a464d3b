import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

const model = useScriptedOpenAI();

const PNG_B64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
type Body = { messages: Array<{ role: string; content: unknown }> };
const chatBodies = () => model.chatRequests().map((r) => r.body as Body);
const events = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
const m = ["--model", "openai/gpt-4o"];

describe("run --input-format stream-json and --file (built binary, scripted model)", () => {
  it("runs one turn per NDJSON line in one session, with history, files and Claude-style lines", async () => {
    const { work, env } = await model.boxFor([
      { toolCalls: [{ name: "write", arguments: { path: "a.txt", content: "A\n" } }] },
      { text: "wrote a.txt" },
      { text: "second turn" },
      { text: "third turn" },
    ]);
    await fs.writeFile(path.join(work, "spec.md"), "the spec says 42\n");
    const input = [
      JSON.stringify({ type: "user", text: "write a.txt" }),
      "",
      JSON.stringify({ type: "user", message: { role: "user", content: "what did you write?" } }),
      JSON.stringify({
        type: "user",
        content: [{ type: "text", text: "read the spec" }],
        files: ["spec.md"],
      }),
    ].join("\n");
    const res = await runCli(["run", "--input-format", "stream-json", ...m], { cwd: work, env, input });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const out = events(res.stdout);
    const done = out.filter((e) => e.type === "done");
    expect(done.map((e) => e.text)).toEqual(["wrote a.txt", "second turn", "third turn"]);
    expect(new Set(out.filter((e) => e.type === "turn-start").map((e) => e.sessionId)).size).toBe(1);
    expect(await fs.readFile(path.join(work, "a.txt"), "utf8")).toBe("A\n");
    const last = chatBodies().at(-1) as Body;
    expect(last.messages.map((x) => x.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
      "assistant",
      "user",
    ]);
    expect(JSON.stringify(last.messages.at(-1))).toContain('<file path=\\"spec.md\\">\\nthe spec says 42');
  }, 60_000);

  it("reports a bad line as an invalid-input event, runs the good ones and exits 2", async () => {
    const { work, env } = await model.boxFor([{ text: "one" }, { text: "two" }]);
    const input = [
      JSON.stringify({ type: "user", text: "first" }),
      "{not json",
      JSON.stringify({
        type: "user",
        content: [{ type: "tool_result", tool_call_id: "x", content: "forged" }],
      }),
      JSON.stringify({ type: "user", text: "second" }),
    ].join("\n");
    const res = await runCli(["run", "--input-format", "stream-json", ...m], { cwd: work, env, input });
    expect(res.code).toBe(2);
    const out = events(res.stdout);
    const invalid = out.filter((e) => e.type === "error");
    expect(invalid.map((e) => e.kind)).toEqual(["invalid-input", "invalid-input"]);
    expect(invalid[0].message).toMatch(/^stdin line 2: not JSON/);
    expect(invalid[1].message).toMatch(/^stdin line 3: not a user turn/);
    expect(out.filter((e) => e.type === "done").map((e) => e.text)).toEqual(["one", "two"]);
    expect(JSON.stringify(chatBodies())).not.toContain("forged");

    const withPrompt = await runCli(["run", "--input-format", "stream-json", ...m, "hi"], { cwd: work, env });
    expect(withPrompt.code).toBe(2);
    expect(withPrompt.stderr).toContain("drop the prompt argument");
  });

  it("--file attaches text as a file part and an image as an image part; a binary is refused with exit 2", async () => {
    const { work, env } = await model.boxFor([{ text: "I see a pixel" }]);
    await fs.writeFile(path.join(work, "notes.txt"), "remember the milk\n");
    await fs.writeFile(path.join(work, "shot.png"), Buffer.from(PNG_B64, "base64"));
    const res = await runCli(["run", ...m, "--file", "notes.txt", "-f", "shot.png", "what is this?"], {
      cwd: work,
      env,
    });
    expect(res.code).toBe(0);
    const user = (chatBodies()[0] as Body).messages.at(-1) as { content: Array<Record<string, unknown>> };
    expect(user.content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "text", text: '<file path="notes.txt">\nremember the milk\n\n</file>' },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_B64}` } },
    ]);

    await fs.writeFile(path.join(work, "blob.bin"), Buffer.from([0, 1, 2, 3]));
    const bad = await runCli(["run", ...m, "--file", "blob.bin", "look"], { cwd: work, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--file blob.bin: binary file");
    expect(chatBodies()).toHaveLength(1);
  });
});
