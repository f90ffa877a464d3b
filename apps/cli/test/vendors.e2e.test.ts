// `codetether run --model <vendor>/<model> --json` against each native vendor's local fake API server:
// the scripted model asks for `write`, then answers; the fake records the tool result in its own format.
import fs from "node:fs/promises";
import path from "node:path";
import {
  type FakeAnthropicServer,
  type FakeBedrockServer,
  type FakeGeminiServer,
  startFakeAnthropicServer,
  startFakeBedrockServer,
  startFakeGeminiServer,
  startFakeGitHub,
  startScriptedOpenAI,
} from "@codetether/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type CliResult, makeSandbox, runCli } from "./helpers.js";

type Fake = FakeAnthropicServer | FakeGeminiServer | FakeBedrockServer;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const WRITE = { path: "out/vendor.txt", content: "written by the model\n" };
const ANSWER = "Wrote out/vendor.txt.";

interface Vendor {
  id: string;
  model: string;
  /** The fake, scripted to call `write` then answer (or with no replies, for the bad-key case). */
  start(script: boolean): Promise<Fake>;
  /** Environment and config.toml pointing the CLI at the fake with the given key. */
  wire(url: string, key: string): { env: Record<string, string>; toml: string };
  goodKey: string;
  /** The tool result as this vendor's wire format carries it in the second request. */
  toolResultOf(body: Record<string, unknown>): { id: unknown; text: string };
}

type Json = Record<string, unknown>;
const lastTurn = (list: unknown, role: string): Json[] => {
  const turns = list as { role: string; content?: Json[]; parts?: Json[] }[];
  const last = turns.at(-1);
  expect(last?.role).toBe(role);
  return (last?.content ?? last?.parts ?? []) as Json[];
};

const vendors: Vendor[] = [
  {
    id: "anthropic",
    model: "claude-sonnet-4-20250514",
    goodKey: "sk-ant-e2e-key",
    start: (script) =>
      startFakeAnthropicServer({
        apiKey: "sk-ant-e2e-key",
        replies: script
          ? [{ toolCalls: [{ id: "toolu_1", name: "write", input: WRITE }] }, { text: ANSWER }]
          : [],
      }),
    wire: (url, key) => ({ env: { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: url }, toml: "" }),
    toolResultOf(body) {
      const block = lastTurn(body.messages, "user").find((b) => b.type === "tool_result") as Json;
      const content = block.content as string | { text: string }[];
      return {
        id: block.tool_use_id,
        text: typeof content === "string" ? content : content.map((c) => c.text).join(""),
      };
    },
  },
  {
    id: "google",
    model: "gemini-2.5-pro",
    goodKey: "AIza-e2e-key",
    start: (script) =>
      startFakeGeminiServer({
        apiKey: "AIza-e2e-key",
        replies: script
          ? [{ functionCalls: [{ id: "call_g1", name: "write", args: WRITE }] }, { text: ANSWER }]
          : [],
      }),
    wire: (url, key) => ({
      env: { GEMINI_API_KEY: key },
      toml: `[providers.google]\nbase_url = "${url}"\n`,
    }),
    toolResultOf(body) {
      const part = lastTurn(body.contents, "user").find((p) => p.functionResponse) as Json;
      const fr = part.functionResponse as { id?: string; name: string; response: unknown };
      expect(fr.name).toBe("write");
      return { id: fr.id, text: JSON.stringify(fr.response) };
    },
  },
  {
    id: "bedrock",
    model: "claude-sonnet-4",
    goodKey: "AKIDE2ETEST",
    start: (script) =>
      startFakeBedrockServer({
        accessKeyId: "AKIDE2ETEST",
        replies: script
          ? [{ toolUses: [{ toolUseId: "tooluse_b1", name: "write", input: WRITE }] }, { text: ANSWER }]
          : [],
      }),
    wire: (url, key) => ({
      env: {
        AWS_ACCESS_KEY_ID: key,
        AWS_SECRET_ACCESS_KEY: "e2e-secret-access-key",
        AWS_REGION: "us-east-1",
      },
      toml: `[providers.bedrock]\nbase_url = "${url}"\n`,
    }),
    toolResultOf(body) {
      const block = lastTurn(body.messages, "user").find((b) => b.toolResult) as Json;
      const tr = block.toolResult as { toolUseId: string; content: { text?: string }[] };
      return { id: tr.toolUseId, text: tr.content.map((c) => c.text ?? "").join("") };
    },
  },
];

async function runAgainst(vendor: Vendor, fake: Fake, key: string): Promise<CliResult & { work: string }> {
  const box = await makeSandbox();
  const { env, toml } = vendor.wire(fake.url, key);
  if (toml) {
    await fs.mkdir(path.join(box.dir, "config", "codetether"), { recursive: true });
    await fs.writeFile(path.join(box.dir, "config", "codetether", "config.toml"), toml);
  }
  const res = await runCli(["run", "--json", "--model", `${vendor.id}/${vendor.model}`, "write the file"], {
    cwd: box.work,
    env: { ...box.env, ...env, CODETETHER_MAX_RETRIES: "0" },
  });
  return { ...res, work: box.work };
}

const bodies = (fake: Fake) => fake.requests.map((r) => r.body);

describe.each(vendors)("codetether run against the local $id API server", (vendor) => {
  it("completes a tool-using turn: writes the file, answers, and round-trips the tool result", async () => {
    const fake = await vendor.start(true);
    open.push(fake);
    const res = await runAgainst(vendor, fake, vendor.goodKey);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(await fs.readFile(path.join(res.work, WRITE.path), "utf8")).toBe(WRITE.content);

    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const writeEnd = events.find((e) => e.type === "tool-end" && e.tool === "write");
    expect(writeEnd?.result.isError ?? false).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "done", text: ANSWER, steps: 2 });

    expect(fake.requests).toHaveLength(2);
    const second = bodies(fake)[1] as Json;
    const result = vendor.toolResultOf(second);
    if (vendor.id !== "google") expect(result.id).toMatch(/^tool/);
    expect(result.text).toContain(WRITE.path);
    // anthropic and bedrock carry the tool's output text; Gemini a JSON `response` object holding it.
    if (vendor.id === "google") expect(result.text).toContain(JSON.stringify(writeEnd.result.output));
    else expect(result.text).toBe(writeEnd.result.output);
  });

  it("a rejected key exits 1 with 'invalid API key for <provider>' and never prints the key", async () => {
    const fake = await vendor.start(false);
    open.push(fake);
    const badKey = `wrong-${vendor.goodKey}-zz`;
    const res = await runAgainst(vendor, fake, badKey);
    expect(res.code).toBe(1);
    // --json reports the failure as the last event on stdout.
    const last = JSON.parse(res.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(last).toMatchObject({ type: "error", kind: "auth" });
    expect(last.message).toMatch(new RegExp(`invalid API key for ${vendor.id}`, "i"));
    expect(res.stderr + res.stdout).not.toContain(badKey);
    expect(res.stderr + res.stdout).not.toContain("e2e-secret-access-key");
    expect(fake.requests.length).toBeGreaterThan(0);
  });
});

// Copilot: the GitHub OAuth token is exchanged at `github_api_url` for a Copilot token whose
// `endpoints.api` names the (OpenAI-format) chat server.
describe("codetether run against local GitHub + Copilot chat servers", () => {
  const OAUTH = "gho_e2e_oauth_token";
  async function copilot(githubToken: string, turns: Parameters<typeof startScriptedOpenAI>[0]) {
    const chat = await startScriptedOpenAI(turns);
    const github = await startFakeGitHub({
      clientId: "Iv1.e2e",
      accessToken: OAUTH,
      copilotApiURL: chat.url,
    });
    open.push(chat, github);
    const box = await makeSandbox();
    await fs.mkdir(path.join(box.dir, "config", "codetether"), { recursive: true });
    await fs.writeFile(
      path.join(box.dir, "config", "codetether", "config.toml"),
      `[providers.github-copilot]\ngithub_api_url = "${github.url}"\n`,
    );
    const res = await runCli(["run", "--json", "--model", "github-copilot/gpt-4.1", "write the file"], {
      cwd: box.work,
      env: { ...box.env, GITHUB_COPILOT_TOKEN: githubToken, CODETETHER_MAX_RETRIES: "0" },
    });
    return { res, work: box.work, chat, github };
  }

  it("completes a tool-using turn with Copilot headers and the exchanged token", async () => {
    const { res, work, chat, github } = await copilot(OAUTH, [
      { toolCalls: [{ name: "write", arguments: WRITE }] },
      { text: ANSWER },
    ]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(await fs.readFile(path.join(work, WRITE.path), "utf8")).toBe(WRITE.content);
    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ type: "done", text: ANSWER, steps: 2 });
    const writeEnd = events.find((e) => e.type === "tool-end" && e.tool === "write");

    const calls = chat.requests.filter((r) => r.path.endsWith("/chat/completions"));
    expect(calls).toHaveLength(2);
    expect(calls[1]?.headers.authorization).toBe(`Bearer ${github.issuedCopilotTokens[0]}`);
    expect(calls[1]?.headers["copilot-integration-id"]).toBe("vscode-chat");
    const { messages } = (calls[1]?.body ?? { messages: [] }) as { messages: Json[] };
    const firstCall = ((messages.at(-2)?.tool_calls ?? []) as { id: string }[])[0];
    expect(messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: firstCall?.id });
    expect(messages.at(-1)?.content).toBe(writeEnd.result.output);
  });

  it("a rejected GitHub token exits 1 with 'invalid API key for github-copilot' and never prints it", async () => {
    const badToken = "gho_wrong_e2e_token_zz";
    const { res, chat } = await copilot(badToken, []);
    expect(res.code).toBe(1);
    const last = JSON.parse(res.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(last).toMatchObject({ type: "error", kind: "auth" });
    expect(last.message).toMatch(/invalid API key for github-copilot/);
    expect(res.stderr + res.stdout).not.toContain(badToken);
    expect(chat.requests).toHaveLength(0);
  });
});
