import { ToolRegistry } from "@codetether/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWebSearchTool,
  DuckDuckGoHtmlBackend,
  parseDuckDuckGoHtml,
  type SearchBackend,
} from "../src/web/index.js";
import { deadPort, startFixtureServer, toolContext, webFixture } from "./web-helpers.js";

/** The fixtures listen on loopback, which the network guard refuses unless the config allows it. */
const LOOPBACK = { allow: ["127.0.0.1"] };

let fixture: Awaited<ReturnType<typeof startFixtureServer>>;

beforeAll(async () => {
  const results = webFixture("ddg-results.html");
  const empty = webFixture("ddg-no-results.html");
  fixture = await startFixtureServer({
    "/html/": (req, res) => {
      const q = new URL(req.url ?? "", "http://x").searchParams.get("q");
      res.writeHead(200, { "content-type": "text/html; charset=UTF-8" });
      res.end(q === "zzqqxxyy" ? empty : results);
    },
    "/limited/": (_req, res) => res.writeHead(202, { "content-type": "text/html" }).end("<html></html>"),
    "/wrong/": (_req, res) =>
      res.writeHead(200, { "content-type": "text/html" }).end("<html><p>hi</p></html>"),
  });
});
afterAll(() => fixture.close());

function registryFor(path: string): ToolRegistry {
  const backend = new DuckDuckGoHtmlBackend({ baseUrl: `${fixture.url}${path}`, network: LOOPBACK });
  return new ToolRegistry().register(createWebSearchTool({ backend }));
}
const call = (registry: ToolRegistry, args: unknown) =>
  registry.execute({ id: "c1", name: "websearch", arguments: JSON.stringify(args) }, toolContext());

describe("websearch (DuckDuckGo HTML backend)", () => {
  it("parses organic results, unwraps redirect links, skips ads and unsafe links", async () => {
    const result = await call(registryFor("/html/"), { query: "vitest mock timers" });
    expect(result.isError).toBeFalsy();
    const results = result.metadata?.results as { title: string; url: string; snippet: string }[];
    expect(results).toEqual([
      {
        title: "Mocking | Guide | Vitest",
        url: "https://vitest.dev/guide/mocking#timers",
        snippet: "Use vi.useFakeTimers() to control time & advance it with vi.advanceTimersByTime.",
      },
      {
        title: "Fake timers hang with promises · Issue #1234",
        url: "https://github.com/vitest-dev/vitest/issues/1234",
        snippet: "Timers do not advance while awaiting a promise.",
      },
      {
        title: "vitest - npm",
        url: "https://www.npmjs.com/package/vitest",
        snippet: "Next generation testing framework powered by Vite.",
      },
    ]);
    expect(result.output).toContain(
      "1. Mocking | Guide | Vitest\n   https://vitest.dev/guide/mocking#timers",
    );
    expect(result.output).not.toContain("Buy Timers");
    expect(fixture.requests.some((r) => r.includes("q=vitest+mock+timers"))).toBe(true);
  });

  it("honours max_results", async () => {
    const result = await call(registryFor("/html/"), { query: "vitest", max_results: 1 });
    expect(result.metadata?.count).toBe(1);
  });

  it("reports no results", async () => {
    const result = await call(registryFor("/html/"), { query: "zzqqxxyy" });
    expect(result.isError).toBeFalsy();
    expect(result.output).toContain('No results for "zzqqxxyy"');
  });

  it("explains rate limiting and wrong endpoints", async () => {
    const limited = await call(registryFor("/limited/"), { query: "x" });
    expect(limited.isError).toBe(true);
    expect(limited.output).toContain("HTTP 202");
    const wrong = await call(registryFor("/wrong/"), { query: "x" });
    expect(wrong.isError).toBe(true);
    expect(wrong.output).toContain("not a DuckDuckGo HTML result page");
  });

  it("says clearly when offline", async () => {
    const port = await deadPort();
    const backend = new DuckDuckGoHtmlBackend({
      baseUrl: `http://127.0.0.1:${port}/html/`,
      network: LOOPBACK,
    });
    const registry = new ToolRegistry().register(createWebSearchTool({ backend }));
    const result = await call(registry, { query: "anything" });
    expect(result.isError).toBe(true);
    expect(result.output).toContain("Web search is unavailable");
    expect(result.output).toContain("no internet access");
  });

  it("says clearly when the search host does not resolve", async () => {
    // .invalid never resolves (RFC 6761), so this is the offline path without touching the internet.
    const backend = new DuckDuckGoHtmlBackend({ baseUrl: "http://search.nonexistent.invalid/html/" });
    const registry = new ToolRegistry().register(createWebSearchTool({ backend }));
    const result = await call(registry, { query: "anything" });
    expect(result.isError).toBe(true);
    expect(result.output).toContain("Web search is unavailable");
    expect(result.output).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it("rejects bad input", async () => {
    const registry = registryFor("/html/");
    expect((await call(registry, {})).output).toContain("Invalid arguments");
    expect((await call(registry, { query: "   " })).output).toContain("query must not be empty");
    expect((await call(registry, { query: "x", max_results: 0 })).isError).toBe(true);
    expect((await call(registry, { query: "x", max_results: 500 })).isError).toBe(true);
  });

  it("accepts a custom backend", async () => {
    const seen: string[] = [];
    const backend: SearchBackend = {
      name: "local-index",
      async search(query, { limit }) {
        seen.push(query);
        return Array.from({ length: 10 }, (_, i) => ({
          title: `T${i}`,
          url: `https://x/${i}`,
          snippet: "",
        })).slice(0, limit);
      },
    };
    const registry = new ToolRegistry().register(createWebSearchTool({ backend }));
    const result = await call(registry, { query: "abc", max_results: 2 });
    expect(seen).toEqual(["abc"]);
    expect(result.output).toContain("(local-index)");
    expect(result.metadata?.count).toBe(2);
  });

  it("parseDuckDuckGoHtml rejects pages that are not result pages", () => {
    expect(() => parseDuckDuckGoHtml("<html>captcha anomaly</html>", new URL("https://h/"))).toThrow(
      /bot check/,
    );
  });
});

describe("createDefaultTools web options", () => {
  it("includes webfetch and websearch with the given backend, or leaves them out", async () => {
    const { createDefaultTools } = await import("../src/index.js");
    const backend: SearchBackend = { name: "fixture", search: async () => [] };
    const tools = createDefaultTools({ web: { searchBackend: backend } });
    const registry = new ToolRegistry().register(...tools);
    expect(registry.ids()).toEqual(expect.arrayContaining(["webfetch", "websearch"]));
    expect(registry.ids()).not.toContain("lsp");
    expect((await call(registry, { query: "q" })).output).toContain("No results");
    const without = createDefaultTools({ web: false }).map((t) => t.id);
    expect(without).not.toContain("webfetch");
    expect(without).not.toContain("websearch");
  });
});
