import { ToolRegistry } from "@codetether/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebFetchTool, fetchLimited, htmlToText, WebFetchError } from "../src/web/index.js";
import { deadPort, startFixtureServer, toolContext, webFixture } from "./web-helpers.js";

let fixture: Awaited<ReturnType<typeof startFixtureServer>>;
// The fixture server listens on loopback, which the network guard refuses unless the config allows it.
const registry = new ToolRegistry().register(createWebFetchTool({ network: { allow: ["127.0.0.1"] } }));
const call = (args: unknown) =>
  registry.execute({ id: "c1", name: "webfetch", arguments: JSON.stringify(args) }, toolContext());

beforeAll(async () => {
  const article = webFixture("article.html");
  fixture = await startFixtureServer({
    "/article": (_req, res) =>
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(article),
    "/data.json": (_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'),
    "/image.png": (_req, res) =>
      res.writeHead(200, { "content-type": "image/png" }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47])),
    "/big": (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("x".repeat(200_000));
    },
    "/slow": (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
      // never ends: the client must give up on its own
    },
    "/redirect": (_req, res) => res.writeHead(302, { location: "/article" }).end(),
    "/redirect-file": (_req, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end(),
    "/redirect-metadata": (_req, res) =>
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
    "/loop": (_req, res) => res.writeHead(302, { location: "/loop" }).end(),
    "/missing": (_req, res) => res.writeHead(404, { "content-type": "text/plain" }).end("no such page"),
  });
});
afterAll(() => fixture.close());

describe("webfetch", () => {
  it("converts HTML to markdown and drops scripts and styles", async () => {
    const result = await call({ url: `${fixture.url}/article` });
    expect(result.isError).toBeFalsy();
    expect(result.output).toContain("Title: Widget Guide");
    expect(result.output).toContain("# Widget Guide");
    expect(result.output).toContain("**small**");
    expect(result.output).toContain("[well documented](https://example.com/more)");
    expect(result.output).toMatch(/-\s+First item/);
    expect(result.output).toContain("```\nconst widget = makeWidget();\n```");
    expect(result.output).not.toContain("secretTracking");
    expect(result.output).not.toContain("color: red");
  });

  it("returns plain text and raw html formats", async () => {
    const text = await call({ url: `${fixture.url}/article`, format: "text" });
    expect(text.output).toContain("Widgets are small and well documented.");
    expect(text.output).not.toContain("<p>");
    expect(text.output).not.toContain("secretTracking");
    const html = await call({ url: `${fixture.url}/article`, format: "html" });
    expect(html.output).toContain("<strong>small</strong>");
  });

  it("returns non-HTML text unchanged and refuses binary content", async () => {
    const json = await call({ url: `${fixture.url}/data.json` });
    expect(json.output).toContain('{"ok":true}');
    const png = await call({ url: `${fixture.url}/image.png` });
    expect(png.isError).toBe(true);
    expect(png.output).toContain("binary content (image/png)");
  });

  it("follows redirects but not to other schemes", async () => {
    const ok = await call({ url: `${fixture.url}/redirect` });
    expect(ok.output).toContain("# Widget Guide");
    const bad = await call({ url: `${fixture.url}/redirect-file` });
    expect(bad.isError).toBe(true);
  });

  it("refuses cloud metadata addresses, directly and through redirects", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]/",
      `${fixture.url}/redirect-metadata`,
    ]) {
      const result = await call({ url });
      expect(result.isError, url).toBe(true);
      expect(result.output).toContain("link-local");
      expect(result.metadata?.error).toBe("blocked_address");
    }
  });

  it("stops redirect loops", async () => {
    const result = await call({ url: `${fixture.url}/loop` });
    expect(result.isError).toBe(true);
    expect(result.output).toContain("Stopped after 10 redirects");
  });

  it("caps the download size and marks truncation", async () => {
    const result = await call({ url: `${fixture.url}/big`, max_bytes: 1000 });
    expect(result.isError).toBeFalsy();
    expect(result.metadata?.truncated).toBe(true);
    expect(result.metadata?.bytes).toBe(1000);
    expect(result.output).toContain("[download stopped at 1000 bytes");
  });

  it("gives up after the time limit", async () => {
    const result = await call({ url: `${fixture.url}/slow`, timeout: 0.3 });
    expect(result.isError).toBe(true);
    expect(result.output).toContain("timed out");
    expect(result.metadata?.error).toBe("timeout");
  });

  it("reports HTTP errors with the status", async () => {
    const result = await call({ url: `${fixture.url}/missing` });
    expect(result.isError).toBe(true);
    expect(result.output).toContain("HTTP 404");
    expect(result.output).toContain("no such page");
  });

  it("refuses non-http(s) schemes and invalid URLs", async () => {
    for (const url of [
      "file:///etc/passwd",
      "data:text/plain,hi",
      "ftp://example.com/x",
      "javascript:alert(1)",
    ]) {
      const result = await call({ url });
      expect(result.isError, url).toBe(true);
      expect(result.output).toContain("only http:// and https:// are allowed");
    }
    const invalid = await call({ url: "not a url" });
    expect(invalid.output).toContain("not a valid absolute URL");
    const missing = await call({});
    expect(missing.output).toContain("Invalid arguments");
    const badFormat = await call({ url: `${fixture.url}/article`, format: "pdf" });
    expect(badFormat.output).toContain("format");
    const tooLong = await call({ url: `${fixture.url}/article`, timeout: 999 });
    expect(tooLong.isError).toBe(true);
  });

  it("says clearly when nothing is listening", async () => {
    const port = await deadPort();
    const result = await call({ url: `http://127.0.0.1:${port}/` });
    expect(result.isError).toBe(true);
    expect(result.output).toContain("Could not reach 127.0.0.1");
    expect(result.output).toContain("ECONNREFUSED");
  });

  it("fetchLimited throws typed errors", async () => {
    await expect(fetchLimited("gopher://x", { maxBytes: 10, timeoutMs: 1000 })).rejects.toBeInstanceOf(
      WebFetchError,
    );
  });

  it("htmlToText keeps block structure", () => {
    expect(htmlToText("<p>a</p><p>b</p><script>x()</script>")).toBe("a\nb");
  });
});
