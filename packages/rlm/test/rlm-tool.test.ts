import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { createSession, defineTool, ToolRegistry } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createRlmTool, routeLargeToolResult, runRlmCommand, withRlmRouting } from "../src/index.js";
import { call, scripted, toolResults } from "./scripted.js";

/** Counts lines with "needle" and answers with the count. */
function counter() {
  return scripted((request) => {
    const results = toolResults(request);
    if (results.length === 0) return call("rlm_count", { pattern: "needle" });
    return call("rlm_final", { answer: `count: ${/^(\d+)/.exec(results[0]!)?.[1]}` });
  });
}

function ctx(dir: string) {
  return {
    cwd: dir,
    workspaceRoot: dir,
    signal: new AbortController().signal,
    sessionId: "s",
    callId: "c",
    emit: () => {},
  };
}

function sink() {
  let text = "";
  return {
    write: (s: string) => (text += s),
    get text() {
      return text;
    },
  };
}

describe("createRlmTool", () => {
  it("answers about workspace files and refuses paths outside the workspace", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-rlm-tool-"));
    await fs.writeFile(path.join(dir, "a.log"), "needle\nhay\nneedle\n");
    const tools = new ToolRegistry().register(createRlmTool({ provider: counter(), model: "m" }));
    const ok = await tools.execute(
      { id: "1", name: "rlm", arguments: JSON.stringify({ question: "how many?", paths: ["a.log"] }) },
      ctx(dir),
    );
    expect(ok.output).toBe("count: 2");
    expect(ok.metadata).toMatchObject({ iterations: 2, finished: true, content_type: "documents" });
    for (const bad of ["../../../etc/passwd", "/etc/passwd"]) {
      const refused = await tools.execute(
        { id: "2", name: "rlm", arguments: JSON.stringify({ question: "q", paths: [bad] }) },
        ctx(dir),
      );
      expect(refused.isError).toBe(true);
      expect(refused.output).toMatch(/Refusing to read .*outside the workspace/);
    }
    const missing = await tools.execute(
      { id: "3", name: "rlm", arguments: JSON.stringify({ question: "q" }) },
      ctx(dir),
    );
    expect(missing.output).toMatch(/give paths or content/);
  });
});

describe("routeLargeToolResult", () => {
  it("passes small results and errors through, routes large ones, and falls back to head and tail", async () => {
    const small = { output: "needle" };
    expect(
      await routeLargeToolResult({ result: small, toolName: "bash", provider: counter(), model: "m" }),
    ).toBe(small);
    const big = { output: "needle here\n".repeat(6_000), metadata: { exitCode: 0 } };
    const error = { output: big.output, isError: true };
    expect(
      await routeLargeToolResult({ result: error, toolName: "bash", provider: counter(), model: "m" }),
    ).toBe(error);
    const routed = await routeLargeToolResult({
      result: big,
      toolName: "bash",
      toolArgs: { command: "cat x" },
      provider: counter(),
      model: "m",
      task: "count needles",
    });
    expect(routed.output).toMatch(/^\[The 72000-character output of bash was analysed by RLM/);
    expect(routed.output).toMatch(/count: 6000$/);
    expect(routed.metadata).toMatchObject({ exitCode: 0, rlm: { originalChars: 72_000, iterations: 2 } });
    const failing = scripted(() => {
      throw new Error("model unavailable");
    });
    const fallback = await routeLargeToolResult({
      result: big,
      toolName: "bash",
      provider: failing,
      model: "m",
      thresholdChars: 1_000,
    });
    expect(fallback.output).toMatch(/RLM analysis failed \(model unavailable\)/);
    expect(fallback.output.length).toBeLessThan(1_300);
  });
});

describe("runRlmCommand", () => {
  const resolveModel = async () => ({ provider: counter(), model: "m" });

  it("prints JSON for files and stdin", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-rlm-cmd-"));
    const file = path.join(dir, "x.txt");
    await fs.writeFile(file, "needle\n");
    const stdout = sink();
    const stderr = sink();
    const code = await runRlmCommand(
      { question: "how many?", files: [file], contentStdin: true, json: true },
      { stdin: Readable.from(["needle needle\n", "needle\n"]), stdout, stderr, resolveModel },
    );
    expect(stderr.text).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout.text);
    expect(out).toMatchObject({
      query: "how many?",
      answer: "count: 3",
      iterations: 2,
      sub_queries: 0,
      finished: true,
    });
    expect(Object.keys(out.stats)).toEqual(["input_tokens", "output_tokens", "elapsed_ms"]);
  });

  it("reports bad usage with exit code 2 and failures with 1", async () => {
    const io = () => ({ stdin: Readable.from([]), stdout: sink(), stderr: sink(), resolveModel });
    let s = io();
    expect(await runRlmCommand({ question: "" }, s)).toBe(2);
    expect(s.stderr.text).toMatch(/missing the question/);
    s = io();
    expect(await runRlmCommand({ question: "q", files: ["/no/such.log"] }, s)).toBe(2);
    expect(s.stderr.text).toMatch(/file not found: \/no\/such.log/);
    s = io();
    expect(await runRlmCommand({ question: "q" }, s)).toBe(2);
    expect(s.stderr.text).toMatch(/no content: pass -f FILE or --content -/);
    s = io();
    expect(await runRlmCommand({ question: "q", content: "x", contentType: "video" as never }, s)).toBe(2);
    s = {
      ...io(),
      resolveModel: async () => {
        throw new Error('unknown provider "nope"');
      },
    };
    expect(await runRlmCommand({ question: "q", content: "x" }, s)).toBe(1);
    expect(s.stderr.text).toBe('codetether rlm: unknown provider "nope"\n');
    s = io();
    expect(await runRlmCommand({ question: "q", content: "needle" }, s)).toBe(0);
    expect(s.stdout.text).toBe("count: 1\n");
  });
});

describe("withRlmRouting", () => {
  it("routes a wrapped tool's large output through RLM with the current task, and leaves small ones", async () => {
    const dump = defineTool({
      id: "dump",
      description: "Print a lot",
      kind: "read",
      parameters: z.object({ lines: z.number().int() }),
      async execute({ lines }) {
        return { output: "needle\n".repeat(lines) };
      },
    });
    const provider = counter();
    const tools = new ToolRegistry().register(
      withRlmRouting(dump, { provider, model: "m", thresholdChars: 1_000 }),
    );
    const session = createSession({ cwd: "/" });
    session.messages.push({ role: "user", content: [{ type: "text", text: "count the needles please" }] });
    const context = { ...ctx("/"), services: { session } };
    const small = await tools.execute({ id: "1", name: "dump", arguments: '{"lines":3}' }, context);
    expect(small.output).toBe("needle\n".repeat(3));
    const big = await tools.execute({ id: "2", name: "dump", arguments: '{"lines":500}' }, context);
    expect(big.output).toMatch(/^\[The 3500-character output of dump was analysed by RLM/);
    expect(big.output).toMatch(/count: 500$/);
    const question = JSON.stringify(provider.requests[0]!.messages[1]);
    expect(question).toContain("count the needles please");
    expect(question).toContain('\\"lines\\":500');
    const rlmTool = createRlmTool({ provider, model: "m" });
    expect(withRlmRouting(rlmTool, { provider, model: "m" })).toBe(rlmTool);
  });
});
