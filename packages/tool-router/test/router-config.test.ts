import { describe, expect, it } from "vitest";
import { resolveToolRouterConfig, TOOL_ROUTER_DEFAULT_MODEL, validateJson } from "../src/index.js";
import { grepTool, writeTool } from "./helpers.js";

describe("resolveToolRouterConfig", () => {
  it("has the spec defaults", () => {
    expect(resolveToolRouterConfig({ env: {} })).toEqual({
      enabled: false,
      modelPath: "hf:unsloth/functiongemma-270m-it-GGUF:Q8_0",
      arch: "gemma3",
      device: "auto",
      maxTokens: 1024,
      temperature: 0.1,
      contextSize: undefined,
      maxTools: 8,
      threads: 0,
      offline: false,
    });
    expect(TOOL_ROUTER_DEFAULT_MODEL).toBe("hf:unsloth/functiongemma-270m-it-GGUF:Q8_0");
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
        CODETETHER_TOOL_ROUTER_CONTEXT_SIZE: "4096",
        CODETETHER_TOOL_ROUTER_MAX_TOOLS: "3",
      },
      config: {
        enabled: false,
        model_path: "/other.gguf",
        device: "cpu",
        max_tokens: 64,
        temperature: 1,
        context_size: 2048,
        max_tools: 12,
      },
    });
    expect(resolved).toEqual({
      enabled: true,
      modelPath: "/m/fg.gguf",
      arch: "llama",
      device: "vulkan",
      maxTokens: 128,
      temperature: 0,
      contextSize: 4096,
      maxTools: 3,
      threads: 0,
      offline: false,
    });
    expect(
      resolveToolRouterConfig({ env: { CODETETHER_TOOL_ROUTER_THREADS: "1", CODETETHER_OFFLINE: "1" } }),
    ).toMatchObject({ threads: 1, offline: true });
    expect(resolveToolRouterConfig({ config: { context_size: 2048, max_tools: 12 } })).toMatchObject({
      contextSize: 2048,
      maxTools: 12,
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
    expect(() => resolveToolRouterConfig({ env: { CODETETHER_TOOL_ROUTER_CONTEXT_SIZE: "12" } })).toThrow(
      /CODETETHER_TOOL_ROUTER_CONTEXT_SIZE="12": expected a whole number of tokens ≥ 256/,
    );
    expect(() => resolveToolRouterConfig({ env: { CODETETHER_TOOL_ROUTER_MAX_TOOLS: "0" } })).toThrow(
      /CODETETHER_TOOL_ROUTER_MAX_TOOLS="0"/,
    );
    // Enabled without a model path is the zero-config path: the published default model.
    expect(resolveToolRouterConfig({ env: { CODETETHER_TOOL_ROUTER_ENABLED: "1" } }).modelPath).toBe(
      TOOL_ROUTER_DEFAULT_MODEL,
    );
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
    expect(validateJson(0, { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 600 })).toEqual([
      "$: not above 0",
    ]);
    expect(validateJson(600, { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 600 })).toEqual([
      "$: not below 600",
    ]);
    expect(validateJson(0.5, { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 600 })).toEqual([]);
    expect(validateJson([1, "a"], { type: "array", items: { type: "number" }, maxItems: 1 })).toEqual([
      "$: more than 1 items",
      "$[1]: expected number, got string",
    ]);
  });
});
