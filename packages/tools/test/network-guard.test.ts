import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ToolRegistry } from "@codetether/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImageTool } from "../src/image.js";
import { loadMcpTools } from "../src/mcp/index.js";
import { createWebFetchTool, DuckDuckGoHtmlBackend } from "../src/web/index.js";
import { startFixtureServer, toolContext } from "./web-helpers.js";

/**
 * One network guard for every tool that makes requests: webfetch, websearch, image downloads and MCP
 * over HTTP refuse non-public addresses in every spelling unless `[network] allow` names them.
 */

let fixture: Awaited<ReturnType<typeof startFixtureServer>>;
let port = 0;
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

beforeAll(async () => {
  fixture = await startFixtureServer({
    "/secret": (_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("loopback secret"),
    "/pic": (_req, res) => res.writeHead(200, { "content-type": "image/png" }).end(PNG),
    "/to-mapped": (_req, res) =>
      res.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${port}/secret` }).end(),
    "/to-loopback": (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end(),
    "/to-decimal": (_req, res) => res.writeHead(302, { location: `http://2130706433:${port}/secret` }).end(),
  });
  port = Number(new URL(fixture.url).port);
});
afterAll(() => fixture.close());

/** Every spelling of the fixture's loopback service. */
const loopbackSpellings = () => [
  `http://127.0.0.1:${port}/secret`,
  `http://localhost:${port}/secret`,
  `http://2130706433:${port}/secret`,
  `http://0177.0.0.1:${port}/secret`,
  `http://0x7f.1:${port}/secret`,
  `http://127.1:${port}/secret`,
  `http://0.0.0.0:${port}/secret`,
  `http://[::ffff:127.0.0.1]:${port}/secret`,
  `http://[::ffff:7f00:1]:${port}/secret`,
  `http://[::127.0.0.1]:${port}/secret`,
  `http://[::1]:${port}/secret`,
];
const otherNonPublic = [
  "http://10.0.0.1/",
  "http://172.16.0.1/",
  "http://192.168.0.1/",
  "http://100.64.0.1/",
  "http://169.254.169.254/latest/meta-data/",
  "http://224.0.0.1/",
  "http://[fc00::1]/",
  "http://[fd00:ec2::254]/",
  "http://[fe80::1]/",
  "http://[ff02::1]/",
  "http://[64:ff9b::7f00:1]/",
  "http://[64:ff9b::a9fe:a9fe]/",
];

const webfetch = (network?: { allow?: string[]; lookup?: (h: string) => Promise<string[]> }) => {
  const registry = new ToolRegistry().register(createWebFetchTool(network ? { network } : {}));
  return (url: string) =>
    registry.execute(
      { id: "c1", name: "webfetch", arguments: JSON.stringify({ url, timeout: 5 }) },
      toolContext(),
    );
};

describe("webfetch network guard", () => {
  it("refuses loopback in every spelling, and never reaches the service", async () => {
    const call = webfetch();
    const before = fixture.requests.length;
    for (const url of loopbackSpellings()) {
      const result = await call(url);
      expect(result.isError, url).toBe(true);
      expect(result.metadata?.error, url).toBe("blocked_address");
      expect(result.output, url).not.toContain("loopback secret");
    }
    expect(fixture.requests.length).toBe(before);
  });

  it("refuses private, link-local, CGNAT, unique-local, multicast and NAT64 addresses", async () => {
    const call = webfetch();
    for (const url of otherNonPublic) {
      const result = await call(url);
      expect(result.isError, url).toBe(true);
      expect(result.metadata?.error, url).toBe("blocked_address");
    }
  });

  it("reaches loopback only when [network] allow names it, and says how to opt in otherwise", async () => {
    const refused = await webfetch()(`http://127.0.0.1:${port}/secret`);
    expect(refused.output).toContain("[network] allow");
    const allowed = await webfetch({ allow: ["127.0.0.1"] })(`http://127.0.0.1:${port}/secret`);
    expect(allowed.isError).toBeFalsy();
    expect(allowed.output).toContain("loopback secret");
  });

  it("re-checks redirects: an allowed host cannot bounce the request to loopback", async () => {
    // fake.test is allowed by name and resolves (injected resolver) to the fixture on loopback.
    const call = webfetch({ allow: ["fake.test"], lookup: async () => ["127.0.0.1"] });
    const ok = await call(`http://fake.test:${port}/secret`);
    expect(ok.output).toContain("loopback secret");
    const before = fixture.requests.length;
    for (const hop of ["/to-loopback", "/to-mapped", "/to-decimal"]) {
      const result = await call(`http://fake.test:${port}${hop}`);
      expect(result.isError, hop).toBe(true);
      expect(result.metadata?.error, hop).toBe("blocked_address");
      expect(result.output, hop).not.toContain("loopback secret");
    }
    expect(fixture.requests.slice(before)).toEqual(["/to-loopback", "/to-mapped", "/to-decimal"]);
  });
});

describe("websearch, image and MCP use the same guard", () => {
  it("websearch refuses a backend on loopback unless allowed", async () => {
    const blocked = new DuckDuckGoHtmlBackend({ baseUrl: `http://[::ffff:7f00:1]:${port}/html/` });
    await expect(blocked.search("x", { limit: 1 })).rejects.toThrow(/Refusing to connect/);
  });

  it("image downloads refuse loopback in any spelling unless allowed", async () => {
    const tool = new ToolRegistry().register(createImageTool());
    for (const url of [`http://127.0.0.1:${port}/pic`, `http://[::ffff:127.0.0.1]:${port}/pic`]) {
      const result = await tool.execute(
        { id: "i", name: "image", arguments: JSON.stringify({ path: url }) },
        toolContext(),
      );
      expect(result.isError, url).toBe(true);
      expect(result.output, url).toMatch(/Refusing to connect/);
    }
    const allowed = new ToolRegistry().register(createImageTool({ network: { allow: ["127.0.0.1"] } }));
    const ok = await allowed.execute(
      { id: "i", name: "image", arguments: JSON.stringify({ path: `${fixture.url}/pic` }) },
      toolContext(),
    );
    expect(ok.metadata?.mime).toBe("image/png");
  });

  it("an MCP server URL on a private or loopback address is refused unless allowed", async () => {
    let hits = 0;
    const mcp = createServer((_req, res) => {
      hits++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => mcp.listen(0, "127.0.0.1", r));
    const mcpPort = (mcp.address() as AddressInfo).port;
    try {
      for (const url of [
        `http://127.0.0.1:${mcpPort}/mcp`,
        `http://[::ffff:127.0.0.1]:${mcpPort}/mcp`,
        "http://10.0.0.1/mcp",
      ]) {
        const loaded = await loadMcpTools(
          { mcp: { servers: { priv: { url } } } },
          { connectTimeoutMs: 5_000 },
        );
        await loaded.manager.close();
        expect(loaded.errors[0]?.message, url).toMatch(/Refusing to connect/);
      }
      expect(hits).toBe(0);
      const allowed = await loadMcpTools(
        { mcp: { servers: { priv: { url: `http://127.0.0.1:${mcpPort}/mcp` } } } },
        { connectTimeoutMs: 5_000, network: { allow: ["127.0.0.1"] } },
      );
      await allowed.manager.close();
      expect(hits).toBeGreaterThan(0);
      expect(allowed.errors[0]?.message).not.toMatch(/Refusing to connect/);
    } finally {
      mcp.closeAllConnections();
      await new Promise<void>((r) => mcp.close(() => r()));
    }
  });
});
