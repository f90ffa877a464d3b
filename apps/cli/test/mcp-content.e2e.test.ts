import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

const mcpServer = path.resolve(
  import.meta.dirname,
  "../../../packages/tools/test/fixtures/mcp/stdio-server.mjs",
);
const TINY_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const model = useScriptedOpenAI();

type WireMessage = { role: string; content?: string | Array<Record<string, unknown>> | null };

/** A sandbox whose user config declares the fixture MCP server. */
async function mcpBox() {
  const box = await makeSandbox();
  const configDir = path.join(box.dir, "config", "codetether");
  await fs.mkdir(configDir, { recursive: true });
  await fs.writeFile(
    path.join(configDir, "config.toml"),
    `[mcp.servers.demo]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(mcpServer)}]\n`,
  );
  return box;
}

describe("MCP tool results reach the model whole (built binary)", () => {
  it("an MCP image reaches a vision model as an image part, not as a byte count", async () => {
    const server = await model.start([
      { toolCalls: [{ name: "demo_screenshot", arguments: {} }] },
      { text: "I see one pixel." },
    ]);
    const { work, env } = await mcpBox();
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "look"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(0);
    const second = server.requests.filter((r) => r.path.endsWith("/chat/completions"))[1]?.body as {
      messages: WireMessage[];
    };
    const toolMessage = second.messages.find((m) => m.role === "tool");
    expect(toolMessage?.content).toContain("captured");
    // The image (and the image resource) follow the tool result as image parts the model can see.
    const images = second.messages
      .filter((m) => m.role === "user" && Array.isArray(m.content))
      .flatMap((m) => m.content as Array<Record<string, unknown>>)
      .filter((p) => p.type === "image_url")
      .map((p) => (p.image_url as { url: string }).url);
    expect(images).toEqual([`data:image/png;base64,${TINY_PNG}`, `data:image/png;base64,${TINY_PNG}`]);
    // Audio cannot be sent to this API: it stays described in text.
    expect(JSON.stringify(second.messages)).toContain("[audio: audio/wav");
  });

  it("twelve MCP calls in one turn leak no abort listeners", async () => {
    const server = await model.start([
      {
        toolCalls: Array.from({ length: 12 }, (_, i) => ({ name: "demo_add", arguments: { a: i, b: 1 } })),
      },
      { text: "added" },
    ]);
    const { work, env } = await mcpBox();
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "add"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(0);
    expect(res.stderr).not.toContain("MaxListenersExceededWarning");
    const ends = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === "tool-end");
    expect(ends.map((e) => e.result.output).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i + 1)),
    );
  });
});
