import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ChatRequest, StreamChunk } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { runRlm, runRlmCommand } from "../src/index.js";
import { call, scripted, systemText, text, toolResults } from "./scripted.js";

function generateLog(lines: number): { content: string; errors: number; fatal: string[] } {
  const out: string[] = [];
  let errors = 0;
  const fatal: string[] = [];
  for (let i = 0; i < lines; i++) {
    const ts = new Date(Date.UTC(2024, 4, 1, 10, 0, i)).toISOString();
    if (i % 37 === 5) {
      errors++;
      out.push(`${ts} ERROR [db] query timeout after ${1000 + i} ms`);
    } else if (i === 777) {
      fatal.push(`${ts} FATAL [disk] /var full`);
      out.push(fatal[0]!);
    } else out.push(`${ts} INFO [api] GET /items/${i} 200`);
  }
  return { content: `${out.join("\n")}\n`, errors, fatal };
}

/** A model that counts ERROR lines, greps FATAL, then answers from what the tools told it. */
function analyst() {
  return scripted((request: ChatRequest): StreamChunk[] => {
    const results = toolResults(request);
    if (results.length === 0) return call("rlm_count", { pattern: "ERROR" });
    if (results.length === 1) return call("rlm_grep", { pattern: "FATAL", max_matches: 5 });
    const count = /^(\d+) of/.exec(results[0]!)?.[1];
    const fatal = /^(\d+): (.*)$/m.exec(results[1]!);
    return call("rlm_final", { answer: `${count} ERROR lines; FATAL at line ${fatal?.[1]}: ${fatal?.[2]}` });
  });
}

describe("runRlm", () => {
  it("answers a question about a generated log through the tools", async () => {
    const log = generateLog(2_000);
    const provider = analyst();
    const result = await runRlm({
      provider,
      model: "m",
      question: "How many errors, and what was fatal?",
      sources: [log.content],
    });
    expect(result.answer).toBe(`${log.errors} ERROR lines; FATAL at line 778: ${log.fatal[0]}`);
    expect(result.finished).toBe(true);
    expect(result.iterations).toBe(3);
    expect(result.sub_queries).toBe(0);
    expect(result.content_type).toBe("logs");
    expect(result.stats).toMatchObject({ input_tokens: 300, output_tokens: 30 });
    // The model saw a map of the content, not the content.
    const system = systemText(provider.requests[0]!);
    expect(system).toContain("Content: logs, 2000 lines");
    expect(system).toContain("lines 1-300 2024-05-01 10:00:00 – 2024-05-01 10:04:59");
    expect(JSON.stringify(provider.requests[0]!.messages).length).toBeLessThan(log.content.length / 5);
    expect(provider.requests[0]!.tools!.map((t) => t.name)).toEqual([
      "rlm_head",
      "rlm_tail",
      "rlm_slice",
      "rlm_grep",
      "rlm_count",
      "rlm_llm_query",
      "rlm_final",
    ]);
  });

  it("stops recursion at the depth limit and tells the model", async () => {
    const provider = scripted((request) => {
      if (systemText(request).startsWith("Answer the question using only the excerpt")) return text("direct");
      const results = toolResults(request);
      const last = results.at(-1);
      if (last === undefined)
        return call("rlm_llm_query", { query: "what is in here?", start_line: 1, end_line: 100_000 });
      if (last.startsWith("Maximum sub-query depth"))
        return call("rlm_final", { answer: "deepest level reached" });
      return call("rlm_final", { answer: `via sub-query: ${last}` });
    });
    const content = Array.from({ length: 400 }, (_, i) => `paragraph ${i} with some words`).join("\n");
    const result = await runRlm({
      provider,
      model: "m",
      question: "q",
      sources: [content],
      maxDepth: 2,
      directQueryMaxChars: 100,
    });
    expect(result.answer).toBe("via sub-query: via sub-query: deepest level reached");
    expect(result.sub_query_log.map((s) => [s.depth, s.mode])).toEqual([
      [1, "recursive"],
      [2, "recursive"],
    ]);
    expect(result.sub_queries).toBe(2);
    const refused = provider.requests
      .flatMap(toolResults)
      .find((r) => r.startsWith("Maximum sub-query depth"));
    expect(refused).toBe(
      "Maximum sub-query depth (2) reached: answer from what you have read, or read the lines with rlm_slice.",
    );
    // Nested runs' tokens are included.
    expect(result.stats.input_tokens).toBeGreaterThan(300);
  });

  it("answers small sub-queries with one direct call over the excerpt", async () => {
    const provider = scripted((request) => {
      if (systemText(request).startsWith("Answer the question")) {
        const excerpt = JSON.stringify(request.messages[1]);
        return text(excerpt.includes("line two") ? "saw line two" : "missing");
      }
      const results = toolResults(request);
      if (results.length === 0)
        return call("rlm_llm_query", { query: "what is on line 2?", start_line: 2, end_line: 2 });
      return call("rlm_final", { answer: results[0]! });
    });
    const result = await runRlm({
      provider,
      model: "m",
      question: "q",
      sources: ["line one\nline two\nline three"],
    });
    expect(result.answer).toBe("saw line two");
    expect(result.sub_query_log[0]).toMatchObject({ mode: "direct", depth: 1, startLine: 2, endLine: 2 });
  });

  it("reports invalid tool use back to the model, nudges prose answers, and gives up after the budget", async () => {
    let turn = 0;
    const provider = scripted(() => {
      turn++;
      if (turn === 1) return call("rlm_grep", { pattern: "(a+)+$" });
      if (turn === 2) return call("rlm_slice", { start_line: 99 });
      return text("I think it is fine.");
    });
    const result = await runRlm({ provider, model: "m", question: "q", sources: ["a\nb"], maxIterations: 4 });
    const results = toolResults(provider.requests.at(-1)!);
    expect(results[0]).toMatch(/nested quantifiers/);
    expect(results[1]).toBe("start_line 99 is past the end: the content has 2 lines.");
    expect(result.finished).toBe(false);
    expect(result.answer).toBe("I think it is fine.");
    const nudges = provider.requests.at(-1)!.messages.filter((m) => m.role === "user").length;
    expect(nudges).toBe(2);
    await expect(runRlm({ provider, model: "m", question: "  ", sources: ["x"] })).rejects.toThrow(
      /needs a question/,
    );
  });

  it("uses an injected tool router for models without tool calling", async () => {
    const provider = scripted(() => text("FINAL: it says hello"));
    const result = await runRlm({
      provider,
      model: "m",
      question: "q",
      sources: ["hello"],
      modelSupportsTools: false,
      toolRouter: async (response) => {
        const said = response.message.content.find((p) => p.type === "text");
        const answer = said?.type === "text" ? said.text.replace(/^FINAL: /, "") : "";
        return {
          ...response,
          message: {
            ...response.message,
            content: [
              { type: "tool_call", id: "r1", name: "rlm_final", arguments: JSON.stringify({ answer }) },
            ],
          },
          finishReason: "tool_calls",
        };
      },
    });
    expect(result).toMatchObject({ answer: "it says hello", finished: true, iterations: 1 });
  });

  it("codetether rlm answers about a 100 MB log with bounded memory", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-rlm-big-"));
    const file = path.join(dir, "big.log");
    const handle = await fs.open(file, "w");
    let errors = 0;
    let lineNo = 0;
    let bytes = 0;
    const target = 100 * 1024 * 1024;
    while (bytes < target) {
      const batch: string[] = [];
      for (let i = 0; i < 20_000; i++) {
        lineNo++;
        const ts = new Date(Date.UTC(2024, 4, 1) + lineNo * 50).toISOString();
        if (lineNo % 1009 === 0) {
          errors++;
          batch.push(`${ts} ERROR [db] connection reset by peer (attempt ${lineNo % 7})`);
        } else if (lineNo === 1_000_003) {
          batch.push(`${ts} FATAL [kernel] out of memory: killed process 4242`);
        } else batch.push(`${ts} INFO [api] GET /v1/items/${lineNo} 200 ${lineNo % 250}ms`);
      }
      const chunk = `${batch.join("\n")}\n`;
      bytes += Buffer.byteLength(chunk);
      await handle.write(chunk);
    }
    await handle.close();
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      let stdout = "";
      const code = await runRlmCommand(
        { question: "How many errors, and what was fatal?", files: [file], json: true },
        {
          stdin: process.stdin,
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: (text: string) => process.stderr.write(text) },
          resolveModel: async () => ({ provider: analyst(), model: "m" }),
        },
      );
      expect(code).toBe(0);
      const result = JSON.parse(stdout) as {
        answer: string;
        content_type: string;
        stats: { elapsed_ms: number };
      };
      peak = Math.max(peak, process.memoryUsage().rss);
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      console.log(
        `100 MB log: ${lineNo} lines, ${mb(bytes)} MB; peak RSS ${mb(peak)} MB (baseline ${mb(baseline)} MB, ` +
          `+${mb(peak - baseline)} MB); ${result.stats.elapsed_ms} ms`,
      );
      expect(result.answer).toMatch(
        new RegExp(`^${errors} ERROR lines; FATAL at line 1000003: .*out of memory`),
      );
      expect(result.content_type).toBe("logs");
      // Reading the file into one string would add well over 100 MB (plus its UTF-16 copy when split).
      expect(peak - baseline).toBeLessThan(80 * 1024 * 1024);
    } finally {
      clearInterval(sampler);
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
