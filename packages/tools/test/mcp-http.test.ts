import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ToolRegistry } from "@codetether/core";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedMcpTools, loadMcpTools } from "../src/mcp/index.js";
import { toolContext } from "./web-helpers.js";

const TOKEN = "Bearer s3cret-token";
/** The fixture server listens on loopback, which the network guard refuses unless the config allows it. */
const LOOPBACK = { allow: ["127.0.0.1"] };
let http: HttpServer;
let url: string;
let calls = 0;

/** A stateless streamable-HTTP MCP server: one SDK server + transport per request. */
function mcpServer(): Server {
  const server = new Server({ name: "fixture-http", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      {
        name: "weather.today",
        description: "Weather for a city.",
        inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        annotations: { readOnlyHint: true, openWorldHint: true },
      },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    calls++;
    const city = String(request.params.arguments?.city);
    if (city === "Atlantis") return { isError: true, content: [{ type: "text", text: "unknown city" }] };
    return { content: [{ type: "text", text: `Sunny in ${city}` }] };
  });
  return server;
}

beforeAll(async () => {
  http = createServer(async (req, res) => {
    if (req.headers.authorization !== TOKEN) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    const server = mcpServer();
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

describe("mcp over streamable HTTP", () => {
  let loaded: LoadedMcpTools;
  afterAll(() => loaded?.manager.close());

  it("lists and calls tools with the configured headers", async () => {
    loaded = await loadMcpTools(
      { mcp: { servers: { wx: { url, headers: { Authorization: TOKEN } } } } },
      { network: LOOPBACK },
    );
    expect(loaded.errors).toEqual([]);
    const registry = new ToolRegistry().register(...loaded.tools);
    expect(registry.ids()).toEqual(["wx_weather_today"]);
    expect(registry.get("wx_weather_today")!.kind).toBe("network");
    const ok = await registry.execute(
      { id: "1", name: "wx_weather_today", arguments: '{"city":"Oslo"}' },
      toolContext(),
    );
    expect(ok.output).toBe("Sunny in Oslo");
    expect(calls).toBe(1);
    const bad = await registry.execute(
      { id: "2", name: "wx_weather_today", arguments: '{"city":"Atlantis"}' },
      toolContext(),
    );
    expect(bad.isError).toBe(true);
    expect(bad.output).toContain("unknown city");
  });

  it("reports an auth failure without leaking the token", async () => {
    const result = await loadMcpTools(
      {
        mcp: { servers: { wx: { url: `${url}?key=abc`, headers: { Authorization: "Bearer wrong" } } } },
      },
      { network: LOOPBACK },
    );
    try {
      expect(result.tools).toEqual([]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]!.message).toContain('Could not start MCP server "wx"');
      expect(result.errors[0]!.message).not.toContain("wrong");
      expect(result.errors[0]!.message).not.toContain("key=abc");
    } finally {
      await result.manager.close();
    }
  });
});
