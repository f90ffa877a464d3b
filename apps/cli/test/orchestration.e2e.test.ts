import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

const model = useScriptedOpenAI();

describe("orchestration commands are wired to their packages", () => {
  it("rlm answers from a file through rlm_* tools", async () => {
    const server = await model.start([
      { toolCalls: [{ name: "rlm_count", arguments: { pattern: "ERROR" } }] },
      { toolCalls: [{ name: "rlm_final", arguments: { answer: "There are 2 errors." } }] },
    ]);
    const { work, env } = await makeSandbox();
    await fs.writeFile(
      path.join(work, "app.log"),
      "2026-01-01T00:00:00Z INFO up\n2026-01-01T00:00:01Z ERROR a\n2026-01-01T00:00:02Z ERROR b\n",
    );
    const res = await runCli(["rlm", "--json", "-m", "openai/gpt-4o", "-f", "app.log", "how many errors?"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).answer).toBe("There are 2 errors.");
    // The count tool really ran over the file.
    const second = server.requests.at(-1)?.body as { messages: Array<{ role: string; content: string }> };
    expect(
      second.messages
        .filter((m) => m.role === "tool")
        .map((m) => m.content)
        .join(""),
    ).toContain("2");
  });

  it("ralph create-prd writes a valid template and ralph status reads it", async () => {
    const { work, env } = await makeSandbox();
    const created = await runCli(["ralph", "create-prd", "--feature", "Login", "--project-name", "demo"], {
      cwd: work,
      env,
    });
    expect(created.code).toBe(0);
    const prd = JSON.parse(await fs.readFile(path.join(work, "prd.json"), "utf8"));
    expect(prd.project).toBe("demo");
    const status = await runCli(["ralph", "status", "--json"], { cwd: work, env });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("Login");
  });

  it("swarm rejects an unknown strategy as a usage error", async () => {
    const { work, env } = await makeSandbox();
    const res = await runCli(["swarm", "--strategy", "bogus", "do it"], { cwd: work, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("bogus");
  });
});

describe("large tool results go through RLM", () => {
  it("a huge bash output is summarised by an RLM sub-run instead of flooding the context", async () => {
    const server = await model.start([
      {
        toolCalls: [
          {
            name: "bash",
            arguments: { command: "for i in $(seq 1 4000); do echo line $i ERROR=$((i % 7)); done" },
          },
        ],
      },
      { toolCalls: [{ name: "rlm_final", arguments: { answer: "4000 lines; ERROR values cycle 0-6." } }] },
      { text: "done" },
    ]);
    const { work, env } = await makeSandbox();
    await fs.writeFile(path.join(work, "codetether.toml"), "[rlm]\nthreshold_chars = 2000\n");
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "inspect"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(0);
    const last = server.requests.at(-1)?.body as {
      messages: Array<{ role: string; content: string }>;
      tools: Array<{ function: { name: string } }>;
    };
    const toolMsg = last.messages.find((m) => m.role === "tool")?.content ?? "";
    expect(toolMsg).toContain("4000 lines; ERROR values cycle 0-6.");
    expect(toolMsg.length).toBeLessThan(20_000);
    expect(last.tools.map((t) => t.function.name)).toEqual(
      expect.arrayContaining(["rlm", "swarm", "prd", "ralph"]),
    );
  });
});

describe("every model call retries like run", () => {
  it("swarm survives a dropped connection on its planning and synthesis calls", async () => {
    const plan = {
      subtasks: [
        { name: "notes", instruction: "write notes" },
        { name: "todo", instruction: "write the todo list" },
      ],
    };
    let planned = 0;
    let synthesized = 0;
    const server = await model.start(
      Array.from({ length: 8 }, () => (request: { body: unknown }) => {
        const body = JSON.stringify(request.body);
        if (body.includes("orchestrator of a swarm"))
          return planned++ === 0
            ? { type: "disconnect" as const, afterEvents: 0 }
            : { text: `\`\`\`json\n${JSON.stringify(plan)}\n\`\`\`` };
        if (body.includes("Sub-agents worked on parts"))
          return synthesized++ === 0
            ? { type: "error" as const, status: 503 }
            : { text: "Synthesis: notes are written." };
        return { text: "part finished" };
      }),
    );
    const { work, env } = await makeSandbox();
    const res = await runCli(["swarm", "--json", "-m", "openai/gpt-4o", "write the notes"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.stderr).not.toMatch(/connection|503/i);
    expect(res.code).toBe(0);
    expect(planned).toBe(2);
    expect(synthesized).toBe(2);
    expect(res.stdout).toContain("Synthesis: notes are written.");
  });
});
