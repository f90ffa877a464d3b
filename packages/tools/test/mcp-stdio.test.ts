import { getEventListeners } from "node:events";
import { fileURLToPath } from "node:url";
import { ToolRegistry, toJsonSchema } from "@codetether/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedMcpTools, loadMcpTools, McpManager } from "../src/mcp/index.js";
import { toolContext } from "./web-helpers.js";

const serverScript = fileURLToPath(new URL("./fixtures/mcp/stdio-server.mjs", import.meta.url));

let loaded: LoadedMcpTools;
let registry: ToolRegistry;
const call = (name: string, args: unknown) =>
  registry.execute({ id: "c1", name, arguments: JSON.stringify(args) }, toolContext());

beforeAll(async () => {
  process.env.PARENT_SECRET = "must-not-leak";
  loaded = await loadMcpTools({
    mcp: {
      servers: {
        demo: {
          command: process.execPath,
          args: [serverScript],
          env: { FIXTURE_TOKEN: "tok-123" },
          enabled: true,
        },
        off: { command: process.execPath, args: [serverScript], enabled: false },
      },
    },
  });
  registry = new ToolRegistry().register(...loaded.tools);
});
afterAll(async () => {
  delete process.env.PARENT_SECRET;
  await loaded.manager.close();
});

describe("mcp over stdio", () => {
  it("leaves no abort listener on the caller's signal after each call", async () => {
    const signal = new AbortController().signal;
    for (let i = 0; i < 12; i++) await loaded.manager.callTool("demo", "add", { a: i, b: 1 }, { signal });
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("hands images, audio and binary image resources to the model as media", async () => {
    const res = await call("demo_screenshot", {});
    expect(res.media?.map((m) => m.mimeType)).toEqual(["image/png", "audio/wav", "image/png"]);
    expect(res.output).toContain("[image: image/png");
  });

  it("lists every tool (across pages) as <server>_<tool>, skipping disabled servers", () => {
    expect(loaded.errors).toEqual([]);
    expect(registry.ids().sort()).toEqual(
      [
        "demo_add",
        "demo_crash",
        "demo_echo",
        "demo_env",
        "demo_fail",
        "demo_pid",
        "demo_screenshot",
        "demo_sleep",
        "demo_throw",
      ].sort(),
    );
    const add = registry.get("demo_add")!;
    expect(add.kind).toBe("read");
    expect(registry.get("demo_crash")!.kind).toBe("exec");
    expect(add.description).toContain("Adds two numbers.");
    expect(add.description).toContain('MCP server "demo"');
  });

  it("passes the server's JSON Schema through to the model", () => {
    const definition = registry.definitions().find((d) => d.name === "demo_add")!;
    expect(definition.parameters).toEqual({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
      additionalProperties: false,
    });
    const echo = toJsonSchema(registry.get("demo_echo")!.parameters);
    expect(echo.$defs).toEqual({ mode: { type: "string", enum: ["upper", "lower"] } });
    expect(echo.$schema).toBeUndefined();
  });

  it("calls tools and returns their text", async () => {
    const result = await call("demo_add", { a: 2, b: 40 });
    expect(result.isError).toBeFalsy();
    expect(result.output).toBe("42");
    expect(result.metadata?.structuredContent).toEqual({ sum: 42 });
    expect((await call("demo_echo", { text: "Hi", mode: "upper" })).output).toBe("HI");
  });

  it("reuses one server process", async () => {
    const first = await call("demo_pid", {});
    const second = await call("demo_pid", {});
    expect(first.output).toMatch(/^\d+$/);
    expect(second.output).toBe(first.output);
  });

  it("validates arguments against the server schema before calling", async () => {
    const missing = await call("demo_add", { a: 1 });
    expect(missing.isError).toBe(true);
    expect(missing.output).toContain("must have required property 'b'");
    const wrongType = await call("demo_add", { a: "1", b: 2 });
    expect(wrongType.output).toContain("a: must be number");
    const extra = await call("demo_add", { a: 1, b: 2, c: 3 });
    expect(extra.output).toContain('"c"');
    const badEnum = await call("demo_echo", { text: "x", mode: "sideways" });
    expect(badEnum.output).toContain("mode: must be equal to one of the allowed values");
    const notObject = await call("demo_add", [1, 2]);
    expect(notObject.output).toContain("arguments must be a JSON object");
  });

  it("turns tool errors and protocol errors into error results", async () => {
    const failed = await call("demo_fail", {});
    expect(failed.isError).toBe(true);
    expect(failed.output).toContain("disk quota exceeded");
    const thrown = await call("demo_throw", {});
    expect(thrown.isError).toBe(true);
    expect(thrown.output).toContain('MCP server "demo" returned an error for "throw"');
    expect(thrown.output).toContain("handler exploded");
  });

  it("times out slow calls and honours cancellation", async () => {
    await expect(loaded.manager.callTool("demo", "sleep", { ms: 5000 }, { timeoutMs: 200 })).rejects.toThrow(
      /returned an error for "sleep".*timed out/i,
    );
    const controller = new AbortController();
    const pending = registry.execute(
      { id: "c2", name: "demo_sleep", arguments: '{"ms":5000}' },
      toolContext({ signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 100);
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.output).toContain('"demo_sleep" was cancelled');
    expect((await call("demo_echo", { text: "still alive" })).output).toBe("still alive");
  });

  it("passes configured env but not the host's other variables", async () => {
    const result = await call("demo_env", {});
    expect(JSON.parse(result.output)).toEqual({ FIXTURE_TOKEN: "tok-123", PARENT_SECRET: null });
  });

  it("reports a crash as an error result and restarts the server on the next call", async () => {
    const before = (await call("demo_pid", {})).output;
    const crashed = await call("demo_crash", {});
    expect(crashed.isError).toBe(true);
    expect(crashed.output).toContain('MCP server "demo" closed the connection while running "crash"');
    expect(crashed.output).toContain("fatal: fixture crashing on purpose");
    const after = await call("demo_pid", {});
    expect(after.isError).toBeFalsy();
    expect(after.output).toMatch(/^\d+$/);
    expect(after.output).not.toBe(before);
  });
});

describe("mcp configuration errors", () => {
  it("reports servers that cannot start and invalid entries, and keeps the others", async () => {
    const result = await loadMcpTools({
      mcp: {
        servers: {
          missing: { command: "/nonexistent/mcp-server-binary" },
          broken: { command: "x", url: "http://127.0.0.1:1/mcp" },
        },
      },
    });
    try {
      expect(result.tools).toEqual([]);
      const byServer = Object.fromEntries(result.errors.map((e) => [e.server, e.message]));
      expect(byServer.missing).toContain('Could not start MCP server "missing"');
      expect(byServer.missing).toContain("[mcp.servers.missing]");
      expect(byServer.broken).toContain('set exactly one of "command"');
    } finally {
      await result.manager.close();
    }
  });

  it("never lets an MCP tool shadow a built-in tool", async () => {
    const result = await loadMcpTools(
      { mcp: { servers: { demo: { command: process.execPath, args: [serverScript] } } } },
      { reservedIds: ["demo_add", "read"] },
    );
    try {
      expect(result.tools.map((t) => t.id)).not.toContain("demo_add");
      expect(result.tools.map((t) => t.id)).toContain("demo_echo");
      expect(result.errors).toEqual([
        {
          server: "demo",
          message: 'Tool "add" maps to id "demo_add", already used by a built-in tool; skipped.',
        },
      ]);
    } finally {
      await result.manager.close();
    }
  });

  it("names unknown servers and refuses calls after close", async () => {
    const manager = new McpManager({});
    await expect(manager.listTools("nope")).rejects.toThrow(/No MCP server named "nope"/);
    await manager.close();
    await expect(manager.listTools("nope")).rejects.toThrow(/closed/);
  });
});

describe("toToolResult", () => {
  it("clips huge outputs and describes non-text content", async () => {
    const { toToolResult } = await import("../src/mcp/index.js");
    const big = toToolResult("s", "t", { content: [{ type: "text", text: "x".repeat(50) }] }, 10);
    expect(big.output).toBe("xxxxxxxxxx\n[output clipped: 50 characters, showing 10]");
    expect(big.metadata?.clipped).toBe(true);
    const image = toToolResult("s", "t", {
      content: [{ type: "image", data: "AAAA", mimeType: "image/png" }],
    });
    expect(image.output).toBe("[image: image/png, 3 bytes]");
    const empty = toToolResult("s", "t", { content: [], structuredContent: { ok: 1 } });
    expect(JSON.parse(empty.output)).toEqual({ ok: 1 });
  });
});
