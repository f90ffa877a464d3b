import type { ToolDefinition } from "@codetether/core";
import type { Llama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionGemmaGrammar } from "../src/functiongemma-grammar.js";
import { parseFunctionGemmaCalls } from "../src/functiongemma-parse.js";
import { validateJson } from "../src/validate-json.js";
import { currentWeatherTool, weatherTool } from "./fixtures.js";

const E = "<escape>";
const call = (body: string) => `<start_function_call>call:${body}<end_function_call>`;

const planTool: ToolDefinition = {
  name: "plan",
  description: "Plan a trip",
  parameters: {
    type: "object",
    properties: {
      days: { type: "integer" },
      metric: { type: "boolean" },
      stops: { type: "array", items: { type: "string", maxLength: 10 }, maxItems: 3 },
      opts: {
        type: "object",
        properties: { budget: { type: ["number", "null"] }, note: { type: "string", maxLength: 12 } },
        required: ["budget"],
      },
    },
    required: ["days"],
    additionalProperties: false,
  },
};

const tools = [weatherTool, currentWeatherTool, planTool];

/** Full-match check of llama.cpp's own grammar parser (node-llama-cpp's `LlamaGrammar`). */
let llama: Llama;
async function accepts(gbnf: string, text: string): Promise<boolean> {
  const grammar = await llama.createGrammar({ grammar: gbnf });
  return (grammar as unknown as { _testText(text: string): boolean })._testText(text);
}

beforeAll(async () => {
  const nlc = await import("node-llama-cpp");
  llama = await nlc.getLlama({ gpu: false, build: "never", logLevel: nlc.LlamaLogLevel.error });
});
afterAll(async () => {
  await llama?.dispose();
});

const GOOD = [
  // The and Google's documented calls.
  call(`get_weather{city:${E}Paris${E}}`),
  call(`get_current_weather{location:${E}Tokyo, Japan${E}}`),
  call(`get_current_weather{location:${E}Paris${E},unit:${E}celsius${E}}`),
  call(`plan{days:3,metric:true,stops:[${E}a${E},${E}b${E}]}`),
  // Derived: nested object, null, negative decimal, empty array, '<' inside strings.
  call(`plan{days:-1,opts:{budget:null,note:${E}a<b <em>${E}},stops:[]}`),
  call(`plan{days:0,opts:{budget:-12.5}}`),
  call(`get_weather{city:${E}line1\nline2 {x:1} "q"${E}}`),
  call(`get_weather{city:${E}cat <<EOF${E}}`),
  call(`get_weather{city:${E}a<${E}}`),
  call(`get_weather{city:${E}</div><e${E}}`),
  // Parallel calls.
  call(`get_weather{city:${E}Paris${E}}`) + call(`plan{days:2}`),
];

const BAD = [
  call(`rm{path:${E}/${E}}`), // unknown tool
  call(`get_weather{}`), // missing required key
  call(`get_weather{city:${E}Paris${E},country:${E}FR${E}}`), // unknown key
  call(`plan{days:${E}3${E}}`), // string for an integer
  call(`plan{days:1.5}`), // decimal for an integer
  call(`get_current_weather{location:${E}X${E},unit:${E}kelvin${E}}`), // not in the enum
  call(`plan{metric:true,days:3}`), // keys out of (sorted) order
  call(`plan{days:3,stops:[${E}a${E},${E}b${E},${E}c${E},${E}d${E}]}`), // more than maxItems
  call(`plan{days:3,stops:[${E}abcdefghijk${E}]}`), // longer than maxLength
  call(`plan{days:3,opts:{note:${E}x${E}}}`), // nested required key missing
  call(`get_weather{city:${E}a${E}b${E}}`), // <escape> inside a string
  call(`get_weather{city:${E}a<<escape>b${E}}`), // <escape> after a '<' inside a string
  call(`get_weather{city:Paris}`), // string without <escape>
  call(`get_weather{"city":"Paris"}`), // JSON notation
  call(`get_weather{city:${E}Paris${E},}`), // trailing comma
  `{"calls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}`, // the old JSON envelope
  `call:get_weather{city:${E}Paris${E}}`, // no start token
  `<start_function_call>call:get_weather{city:${E}Paris${E}}`, // no end token
  call(`get_weather{city:${E}a${E}}`).repeat(5), // more than maxCalls (4)
  `I will check the weather.`, // prose
];

describe("functionGemmaGrammar (checked by llama.cpp's grammar parser)", () => {
  it("accepts every fixture call, and each parses and validates against its tool's schema", async () => {
    const gbnf = functionGemmaGrammar(tools, { maxStringLength: 40 });
    for (const text of GOOD) {
      expect(await accepts(gbnf, text), text).toBe(true);
      const calls = parseFunctionGemmaCalls(text);
      expect(calls.length, text).toBeGreaterThanOrEqual(1);
      for (const c of calls) {
        const tool = tools.find((t) => t.name === c.name);
        expect(tool, text).toBeDefined();
        expect(validateJson(c.arguments, tool?.parameters), text).toEqual([]);
      }
    }
  });

  it("rejects malformed calls, unknown tools, wrong types and the old JSON envelope", async () => {
    const gbnf = functionGemmaGrammar(tools, { maxStringLength: 40 });
    for (const text of BAD) expect(await accepts(gbnf, text), text).toBe(false);
  });

  it("allows no call by default and requires one with minCalls", async () => {
    expect(await accepts(functionGemmaGrammar(tools), "")).toBe(true);
    expect(await accepts(functionGemmaGrammar(tools, { minCalls: 1 }), "")).toBe(false);
    expect(await accepts(functionGemmaGrammar(tools, { minCalls: 1 }), GOOD[0] as string)).toBe(true);
  });

  it("bounds strings without maxLength by maxStringLength", async () => {
    const gbnf = functionGemmaGrammar([weatherTool], { maxStringLength: 5 });
    expect(await accepts(gbnf, call(`get_weather{city:${E}12345${E}}`))).toBe(true);
    expect(await accepts(gbnf, call(`get_weather{city:${E}123456${E}}`))).toBe(false);
    // Exact also with '<' pieces and endings.
    expect(await accepts(gbnf, call(`get_weather{city:${E}a<b<<${E}}`))).toBe(true);
    expect(await accepts(gbnf, call(`get_weather{city:${E}a<b<<c${E}}`))).toBe(false);
    const min = functionGemmaGrammar([
      {
        ...weatherTool,
        parameters: {
          type: "object",
          properties: { city: { type: "string", minLength: 3, maxLength: 4 } },
          required: ["city"],
        },
      },
    ]);
    expect(await accepts(min, call(`get_weather{city:${E}ab${E}}`))).toBe(false);
    expect(await accepts(min, call(`get_weather{city:${E}a<e${E}}`))).toBe(true);
    expect(await accepts(min, call(`get_weather{city:${E}<<<a${E}}`))).toBe(false);
    expect(await accepts(min, call(`get_weather{city:${E}abcd${E}}`))).toBe(true);
    expect(await accepts(min, call(`get_weather{city:${E}abcde${E}}`))).toBe(false);
  });

  it("bounds integers by maximum exactly and drops the sign for minimum >= 0", async () => {
    const tool = (schema: Record<string, unknown>): ToolDefinition => ({
      name: "n",
      description: "n",
      parameters: { type: "object", properties: { v: { type: "integer", ...schema } }, required: ["v"] },
    });
    const check = async (schema: Record<string, unknown>, good: number[], bad: string[]) => {
      const gbnf = functionGemmaGrammar([tool(schema)]);
      for (const v of good)
        expect(await accepts(gbnf, call(`n{v:${v}}`)), `${JSON.stringify(schema)} ${v}`).toBe(true);
      for (const v of bad)
        expect(await accepts(gbnf, call(`n{v:${v}}`)), `${JSON.stringify(schema)} ${v}`).toBe(false);
    };
    await check(
      { minimum: 1, maximum: 500 },
      [1, 9, 10, 99, 100, 199, 409, 490, 499, 500],
      ["0", "501", "510", "600", "1000", "-1", "05"],
    );
    await check({ minimum: 0, maximum: 7 }, [0, 3, 7], ["8", "10", "-1"]);
    await check({ minimum: 0 }, [0, 12345], ["-1", "012"]);
    await check({ maximum: 20 }, [-5, 0, 20], ["21"]);
    await check({}, [-5, 0, 123456], ["1.5", "x"]);
    const number = functionGemmaGrammar([
      {
        ...tool({}),
        parameters: {
          type: "object",
          properties: { v: { type: "number", exclusiveMinimum: 0 } },
          required: ["v"],
        },
      },
    ]);
    expect(await accepts(number, call("n{v:0.5}"))).toBe(true);
    expect(await accepts(number, call("n{v:-0.5}"))).toBe(false);
    const bounded = functionGemmaGrammar([
      {
        ...tool({}),
        parameters: {
          type: "object",
          properties: { v: { type: "number", exclusiveMinimum: 0, maximum: 600 } },
          required: ["v"],
        },
      },
    ]);
    expect(await accepts(bounded, call("n{v:599.5}"))).toBe(true);
    expect(await accepts(bounded, call("n{v:601}"))).toBe(false);
    expect(await accepts(bounded, call("n{v:1000}"))).toBe(false);
  });

  it("escapes tool names, enum values and keys that are special in GBNF", async () => {
    const odd: ToolDefinition = {
      name: "mcp.x-y_z",
      description: "odd",
      parameters: {
        type: "object",
        properties: { "a-b": { type: "string", enum: ['say "hi"\\', "x\ny"] } },
        required: ["a-b"],
      },
    };
    const gbnf = functionGemmaGrammar([odd]);
    expect(await accepts(gbnf, call(`mcp.x-y_z{a-b:${E}say "hi"\\${E}}`))).toBe(true);
    expect(await accepts(gbnf, call(`mcp.x-y_z{a-b:${E}x\ny${E}}`))).toBe(true);
    expect(await accepts(gbnf, call(`mcp.x-y_z{a-b:${E}other${E}}`))).toBe(false);
  });

  it("inlines $ref to a bounded depth and treats open schemas as scalars", async () => {
    const tree: ToolDefinition = {
      name: "tree",
      description: "t",
      parameters: {
        type: "object",
        properties: { node: { $ref: "#/$defs/node" }, any: {} },
        $defs: { node: { type: "object", properties: { child: { $ref: "#/$defs/node" } } } },
      },
    };
    const gbnf = functionGemmaGrammar([tree], { maxRefDepth: 2 });
    expect(await accepts(gbnf, call(`tree{any:3,node:{child:{}}}`))).toBe(true);
    expect(await accepts(gbnf, call(`tree{any:${E}s${E},node:{child:{child:null}}}`))).toBe(true);
    expect(await accepts(gbnf, call(`tree{any:[1]}`))).toBe(false);
  });
});
