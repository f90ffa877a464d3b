import { describe, expect, it } from "vitest";
import {
  DEFAULT_BOUNDS,
  resolveToolRouterConfig,
  routerOutputSchema,
  toGrammarSchema,
  validateJson,
} from "../src/index.js";
import { grepTool, writeTool } from "./helpers.js";

describe("resolveToolRouterConfig", () => {
  it("has the spec defaults", () => {
    expect(resolveToolRouterConfig({ env: {} })).toEqual({
      enabled: false,
      modelPath: undefined,
      arch: "gemma3",
      device: "auto",
      maxTokens: 512,
      temperature: 0.1,
    });
  });

  it("environment variables win over config.toml keys", () => {
    const resolved = resolveToolRouterConfig({
      env: {
        CODETETHER_TOOL_ROUTER_ENABLED: "yes",
        CODETETHER_TOOL_ROUTER_MODEL_PATH: "/m/fg.gguf",
        CODETETHER_TOOL_ROUTER_DEVICE: "VULKAN",
        CODETETHER_TOOL_ROUTER_MAX_TOKENS: "128",
        CODETETHER_TOOL_ROUTER_TEMPERATURE: "0",
        CODETETHER_TOOL_ROUTER_ARCH: "llama",
      },
      config: { enabled: false, model_path: "/other.gguf", device: "cpu", max_tokens: 64, temperature: 1 },
    });
    expect(resolved).toEqual({
      enabled: true,
      modelPath: "/m/fg.gguf",
      arch: "llama",
      device: "vulkan",
      maxTokens: 128,
      temperature: 0,
    });
    expect(
      resolveToolRouterConfig({
        env: {},
        config: { enabled: true, model_path: "hf:a/b/c.gguf", device: "cuda" },
      }).device,
    ).toBe("cuda");
  });

  it("rejects bad values naming the variable and what to do", () => {
    expect(() => resolveToolRouterConfig({ env: { CODETETHER_TOOL_ROUTER_ENABLED: "maybe" } })).toThrow(
      /CODETETHER_TOOL_ROUTER_ENABLED="maybe": expected true\/false/,
    );
    expect(() => resolveToolRouterConfig({ env: { CODETETHER_TOOL_ROUTER_DEVICE: "gpu" } })).toThrow(
      /CODETETHER_TOOL_ROUTER_DEVICE="gpu": expected one of auto, cpu, cuda, vulkan/,
    );
    expect(() => resolveToolRouterConfig({ env: { CODETETHER_TOOL_ROUTER_MAX_TOKENS: "-5" } })).toThrow(
      /MAX_TOKENS/,
    );
    expect(() => resolveToolRouterConfig({ env: { CODETETHER_TOOL_ROUTER_TEMPERATURE: "hot" } })).toThrow(
      /TEMPERATURE/,
    );
    expect(() => resolveToolRouterConfig({ env: { CODETETHER_TOOL_ROUTER_ENABLED: "1" } })).toThrow(
      /enabled but has no model: set CODETETHER_TOOL_ROUTER_MODEL_PATH/,
    );
  });
});

describe("grammar schema", () => {
  it("names only existing tools and bounds strings, arrays and calls", () => {
    const schema = routerOutputSchema([writeTool, grepTool], DEFAULT_BOUNDS) as {
      properties: {
        calls: {
          items: {
            oneOf: Array<{
              properties: {
                name: unknown;
                arguments: { properties: Record<string, { maxLength?: number }> };
              };
            }>;
          };
          maxItems: number;
        };
      };
    };
    const variants = schema.properties.calls.items.oneOf;
    expect(variants.map((v) => v.properties.name)).toEqual([{ const: "write" }, { const: "grep" }]);
    expect(variants[0]?.properties.arguments.properties.content?.maxLength).toBe(2_000);
    expect(variants[1]?.properties.arguments.properties.pattern?.maxLength).toBe(20);
    expect(schema.properties.calls.maxItems).toBe(4);
  });

  it("converts nullable types, refs, formats and open schemas into the grammar subset", () => {
    const converted = toGrammarSchema(
      {
        type: "object",
        properties: {
          when: { type: "string", format: "date-time" },
          maybe: { type: ["string", "null"] },
          node: { $ref: "#/$defs/node" },
          any: {},
        },
        $defs: { node: { type: "object", properties: { child: { $ref: "#/$defs/node" } } } },
      },
      { ...DEFAULT_BOUNDS, maxStringLength: 10, maxRefDepth: 2 },
    );
    expect(converted).toMatchObject({
      type: "object",
      additionalProperties: false,
      properties: {
        when: { type: "string", format: "date-time" },
        maybe: { oneOf: [{ type: "string", maxLength: 10 }, { type: "null" }] },
        node: {
          type: "object",
          properties: { child: { type: "object", properties: { child: { type: "null" } } } },
        },
      },
    });
  });
});

describe("validateJson", () => {
  it("reports each problem with its path", () => {
    expect(validateJson({ path: "a", content: "b" }, writeTool.parameters)).toEqual([]);
    expect(validateJson({ path: "", extra: 1 }, writeTool.parameters)).toEqual([
      "$.content: required",
      "$.path: shorter than 1 characters",
      "$.extra: not allowed",
    ]);
    expect(validateJson({ pattern: "x", limit: 1.5, mode: "all" }, grepTool.parameters)).toEqual([
      "$.limit: expected integer, got number",
      '$.mode: expected one of ["files","lines","count"]',
    ]);
    expect(validateJson(Number.POSITIVE_INFINITY, { type: "integer" })).toHaveLength(1);
    expect(validateJson([1, "a"], { type: "array", items: { type: "number" }, maxItems: 1 })).toEqual([
      "$: more than 1 items",
      "$[1]: expected number, got string",
    ]);
  });
});
