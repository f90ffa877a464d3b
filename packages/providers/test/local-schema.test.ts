import { textMessage } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { toChatHistory } from "../src/local/local-history.js";
import { toGrammarSchema, toolCallSchema } from "../src/local/local-schema.js";

describe("toGrammarSchema", () => {
  it("keeps what node-llama-cpp grammars support and drops the rest", () => {
    expect(
      toGrammarSchema({
        type: "object",
        $schema: "http://json-schema.org/draft-07/schema#",
        properties: {
          path: { type: "string", maxLength: 24, pattern: "^src/", description: "file" },
          when: { type: "string", format: "date-time" },
          uri: { type: "string", format: "uri" },
          mode: { enum: ["r", "w", { bad: 1 }] },
          n: { type: ["integer", "null"] },
          tags: { type: "array", items: { type: "string" }, maxItems: 3 },
        },
        required: ["path", "missing"],
        additionalProperties: false,
      }),
    ).toEqual({
      type: "object",
      properties: {
        path: { type: "string", maxLength: 24, description: "file" },
        when: { type: "string", format: "date-time" },
        uri: { type: "string" },
        mode: { enum: ["r", "w"] },
        n: { oneOf: [{ type: "integer" }, { type: "null" }] },
        tags: { type: "array", items: { type: "string" }, maxItems: 3 },
      },
      required: ["path"],
    });
  });

  it("inlines local $refs, maps anyOf to oneOf and survives recursive schemas", () => {
    const schema = {
      type: "object",
      properties: { node: { $ref: "#/$defs/node" }, choice: { anyOf: [{ const: "a" }, { type: "number" }] } },
      $defs: { node: { type: "object", properties: { child: { $ref: "#/$defs/node" } } } },
    };
    const out = toGrammarSchema(schema) as { properties: Record<string, unknown> };
    expect(out.properties.choice).toEqual({ oneOf: [{ const: "a" }, { type: "number" }] });
    expect(JSON.stringify(out.properties.node)).toContain('"child"');
  });

  it("allows free-form objects and builds one oneOf variant per tool", () => {
    expect(toGrammarSchema({ type: "object" })).toEqual({
      type: "object",
      properties: {},
      required: [],
      additionalProperties: true,
    });
    const schema = toolCallSchema([
      { name: "a", parameters: { type: "object" } },
      { name: "b", parameters: { type: "object" } },
    ]) as { oneOf: { properties: { name: unknown } }[] };
    expect(schema.oneOf.map((v) => v.properties.name)).toEqual([{ const: "a" }, { const: "b" }]);
  });
});

describe("toChatHistory", () => {
  it("folds tool results into their function calls and ends with a model turn to continue", () => {
    const history = toChatHistory({
      model: "m",
      messages: [
        textMessage("system", "sys"),
        textMessage("user", "read it"),
        {
          role: "assistant",
          content: [
            { type: "text", text: "ok" },
            { type: "tool_call", id: "c1", name: "read", arguments: '{"path":"a"}' },
            { type: "tool_call", id: "c2", name: "read", arguments: "{}" },
          ],
        },
        {
          role: "tool",
          content: [{ type: "tool_result", tool_call_id: "c1", content: "A", is_error: false }],
        },
      ],
    });
    expect(history).toEqual([
      { type: "system", text: "sys" },
      { type: "user", text: "read it" },
      {
        type: "model",
        response: [
          "ok",
          { type: "functionCall", name: "read", params: { path: "a" }, result: "A" },
          { type: "functionCall", name: "read", params: {}, result: { error: "no result" } },
        ],
      },
    ]);
  });

  it("appends an empty model turn after a user message", () => {
    expect(toChatHistory({ model: "m", messages: [textMessage("user", "hi")] })).toEqual([
      { type: "user", text: "hi" },
      { type: "model", response: [] },
    ]);
  });
});
