import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigSchema,
  lazySchema,
  lazySchemaBuilds,
  loadConfig,
  MessageSchema,
  parseStreamInputLine,
  SessionSchema,
  UsageSchema,
} from "../src/index.js";

// Read before any test touches a schema: importing core must build none of its schemas.
const buildsAfterImport = lazySchemaBuilds();

describe("lazySchema", () => {
  it("importing @codetether/core builds no schema", () => {
    expect(buildsAfterImport).toBe(0);
  });

  it("builds once, on first use, and then behaves like the schema it builds", () => {
    let calls = 0;
    const Point = lazySchema(() => {
      calls++;
      return z.object({ x: z.number(), y: z.number().default(0) });
    });
    expect(calls).toBe(0);
    const before = lazySchemaBuilds();
    expect(Point.parse({ x: 1 })).toEqual({ x: 1, y: 0 });
    expect(Point.safeParse({ x: "a" }).success).toBe(false);
    expect(calls).toBe(1);
    expect(lazySchemaBuilds()).toBe(before + 1);
    // Methods read off the stand-in, composition, instanceof and JSON Schema all see the real schema.
    const { parse } = Point;
    expect(parse({ x: 2 })).toEqual({ x: 2, y: 0 });
    expect(Point).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(Point.shape)).toEqual(["x", "y"]);
    const Line = z.object({ from: Point, to: Point.optional() });
    expect(Line.parse({ from: { x: 1 } })).toEqual({ from: { x: 1, y: 0 } });
    expect(z.toJSONSchema(Point, { io: "input" })).toMatchObject({
      type: "object",
      properties: { x: { type: "number" }, y: { type: "number", default: 0 } },
      required: ["x"],
    });
    expect("shape" in Point).toBe(true);
    expect(calls).toBe(1);
  });

  it("core's schemas still parse and reject as before", () => {
    expect(UsageSchema.parse({})).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(MessageSchema.safeParse({ role: "user", content: [{ type: "nope" }] }).success).toBe(false);
    const session = SessionSchema.parse({
      id: "s",
      title: "t",
      cwd: "/",
      createdAt: 1,
      updatedAt: 1,
      messages: [{ role: "tool", content: [{ type: "tool_result", tool_call_id: "c", content: "ok" }] }],
    });
    expect(session.messages[0]?.content[0]).toEqual({
      type: "tool_result",
      tool_call_id: "c",
      content: "ok",
      is_error: false,
    });
    expect(ConfigSchema.parse({}).agent.max_steps).toBe(50);
  });
});

describe("config and payload errors keep their messages", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-config-messages-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fix = "Fix the value(s) above (see `codetether config --show` for the effective config).";

  function loadError(toml: string): string {
    const file = path.join(dir, "config.toml");
    fs.writeFileSync(file, toml);
    try {
      loadConfig({ cwd: dir, env: { HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir }, userFile: file });
    } catch (err) {
      return (err as Error).message.replaceAll(file, "<file>");
    }
    throw new Error(`no error for ${toml}`);
  }

  // The texts below were taken from the eager (pre-lazy) schemas; they must not change.
  it.each([
    ['default_model = "gpt4"', ['default_model: expected "provider/model", e.g. "openai/gpt-4o"']],
    [
      '[agent]\nmax_steps = 0\nmax_retries = "x"',
      [
        "agent.max_steps: Too small: expected number to be >0",
        "agent.max_retries: Invalid input: expected number, received string",
      ],
    ],
    [
      '[providers.x]\nbase_url = "not a url"\napi = "soap"',
      [
        "providers.x.base_url: Invalid URL",
        'providers.x.api: Invalid option: expected one of "openai"|"anthropic"|"google"|"bedrock"',
      ],
    ],
    [
      '[mcp.servers.a]\ncommand = "x"\nurl = "http://a"',
      ['mcp.servers.a: set exactly one of "command" (stdio server) or "url" (streamable HTTP server)'],
    ],
    ["[session]\ncompact_threshold = 1.5", ["session.compact_threshold: Too big: expected number to be <1"]],
    [
      '[[permissions.rules]]\ntool = ""\naction = "maybe"',
      [
        "permissions.rules.0.tool: Too small: expected string to have >=1 characters",
        'permissions.rules.0.action: Invalid option: expected one of "allow"|"ask"|"deny"',
      ],
    ],
    [
      "[server]\nport = 70000\nhost = 1",
      [
        "server.host: Invalid input: expected string, received number",
        "server.port: Too big: expected number to be <=65535",
      ],
    ],
    ["agent = 3", ["agent: Invalid input: expected object, received number"]],
  ])("%s", (toml, issues) => {
    expect(loadError(toml)).toBe(
      `Invalid configuration in <file>:\n${issues.map((i) => `  - ${i}`).join("\n")}\n${fix}`,
    );
  });

  it("stream-json input lines", () => {
    expect(() => parseStreamInputLine('{"type":"user","text":"a","content":"b"}', 1)).toThrow(
      'stdin line 1: not a user turn at (root): give exactly one of "text", "content" or "message". Expected e.g. {"type":"user","text":"…"}.',
    );
    expect(() => parseStreamInputLine('{"type":"user","content":[{"type":"tool_call"}]}', 1)).toThrow(
      'stdin line 1: not a user turn at content: Invalid input. Expected e.g. {"type":"user","text":"…"}.',
    );
  });
});
