import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { BIN, runCli } from "./helpers.js";
import { readTree, securityBox } from "./security-helpers.js";
import { useServeCleanup } from "./serve-helpers.js";

/**
 * Secrets the runtime knows (provider keys from the environment and config, the server's token) never reach what
 * the agent records or sends: session files, events, tool results sent to the model, the audit log, A2A artifacts.
 * The sandbox is off (the default), so commands see the real environment.
 */

const { children, track } = useServeCleanup("SIGKILL");

// Neither looks like a vendor key, so only knowing the value can redact it.
const ENV_KEY = "plainenvkey0123456789value";
const CONFIG_KEY = "plainconfigkey9876543210value";
const TOKEN = "plain-server-token-0123456789abcdef";

const bash = (command: string) => ({ name: "bash", arguments: { command, description: "show" } });

describe("known secrets are redacted from everything the agent records", () => {
  it("run: bash `env` output with the provider key is not stored in the session, events or audit", async () => {
    const model = track(
      await startScriptedOpenAI([
        { toolCalls: [bash("env")] },
        // The user config holds a provider key: reading it back must not leak it either.
        { toolCalls: [bash('cat "$XDG_CONFIG_HOME/codetether/config.toml"')] },
        { text: `The key is ${ENV_KEY}.` },
      ]),
    );
    const box = await securityBox();
    await fs.mkdir(box.configDir, { recursive: true });
    await fs.writeFile(
      path.join(box.configDir, "config.toml"),
      `[providers.other]\napi_key = "${CONFIG_KEY}"\n`,
    );
    const res = await runCli(["run", "--yes", "--json", "-m", "openai/gpt-4o", "show the environment"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: ENV_KEY, OPENAI_BASE_URL: model.url },
    });
    expect(res.code).toBe(0);
    // The command really saw the key (sandbox off): it is redacted after the fact, not hidden from bash.
    const sessions = await readTree(box.sessionsDir);
    expect(sessions).toContain("[REDACTED]");
    expect(sessions).toContain("[providers.other]");
    expect(sessions).toContain("OPENAI_BASE_URL");
    expect(sessions).not.toContain(ENV_KEY);
    expect(sessions).not.toContain(CONFIG_KEY);
    expect(res.stdout).not.toContain(ENV_KEY);
    expect(res.stdout).not.toContain(CONFIG_KEY);
    expect(await readTree(box.auditDir)).not.toContain(ENV_KEY);
    // Tool results sent back to the model are redacted too.
    const sentToModel = JSON.stringify(model.requests.slice(1).map((r) => r.body));
    expect(sentToModel).not.toContain(ENV_KEY);
    expect(sentToModel).not.toContain(CONFIG_KEY);
  });

  it("run: secrets in variables not named *_KEY/*_TOKEN (a URL's password, a DSN, *_PASS, *_PWD, *_AUTH) are masked too", async () => {
    const secrets = {
      DATABASE_URL: ["postgres://app:dbpass-0a1b2c3d4e@db.internal:5432/app", "dbpass-0a1b2c3d4e"],
      HTTPS_PROXY: ["http://proxyuser:proxypass-9z8y7x@proxy.corp:3128", "proxypass-9z8y7x"],
      SENTRY_DSN: [
        "https://sentrykey0123456789abcdef@o1.ingest.sentry.io/2",
        "https://sentrykey0123456789abcdef@o1.ingest.sentry.io/2",
      ],
      SMTP_PASS: ["smtp-pass-5f6g7h8i", "smtp-pass-5f6g7h8i"],
      MYSQL_PWD: ["mysql-pwd-1q2w3e4r", "mysql-pwd-1q2w3e4r"],
      NPM_CONFIG__AUTH: ["bnBtdXNlcjpucG1wYXNzd29yZA==", "bnBtdXNlcjpucG1wYXNzd29yZA=="],
      SLACK_WEBHOOK_URL: [
        "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX",
        "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX",
      ],
    } as const;
    const model = track(await startScriptedOpenAI([{ toolCalls: [bash("env")] }, { text: "done" }]));
    const box = await securityBox();
    const env: Record<string, string> = { ...box.env, OPENAI_API_KEY: ENV_KEY, OPENAI_BASE_URL: model.url };
    for (const [name, [value]] of Object.entries(secrets)) env[name] = value;
    const res = await runCli(["run", "--yes", "--json", "-m", "openai/gpt-4o", "show the environment"], {
      cwd: box.work,
      env,
    });
    expect(res.code).toBe(0);
    const sentToModel = JSON.stringify(model.requests.slice(1).map((r) => r.body));
    const sessions = await readTree(box.sessionsDir);
    // The variables are there (bash saw them), their secret parts are not; the rest of a URL stays readable.
    expect(sentToModel).toContain("DATABASE_URL=postgres://app:[REDACTED]@db.internal:5432/app");
    expect(sentToModel).toContain(`PWD=${box.work}`);
    for (const [, secret] of Object.values(secrets)) {
      expect(sentToModel).not.toContain(secret);
      expect(res.stdout).not.toContain(secret);
      expect(sessions).not.toContain(secret);
    }
  });

  it("run --json: a key split across streamed chunks is masked in the deltas, tool output and session", async () => {
    const model = track(
      await startScriptedOpenAI([
        // A tool whose output arrives in two pieces, the key cut in the middle.
        {
          toolCalls: [
            bash(
              'printf %s "$OPENAI_API_KEY" | head -c 11; sleep 0.3; printf %s "$OPENAI_API_KEY" | tail -c +12; echo',
            ),
          ],
        },
        // 5-character chunks: the key never stands whole in one delta.
        { reasoning: `thinking of ${ENV_KEY} now`, text: `The key is ${ENV_KEY} ok.`, chunkSize: 5 },
      ]),
    );
    const box = await securityBox();
    const res = await runCli(["run", "--yes", "--json", "-m", "openai/gpt-4o", "show the key"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: ENV_KEY, OPENAI_BASE_URL: model.url },
    });
    expect(res.code).toBe(0);
    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; text?: string; event?: { type: string; text: string } });
    const joined = (type: string) =>
      events
        .filter((e) => e.type === type)
        .map((e) => e.text ?? "")
        .join("");
    expect(joined("text-delta")).toBe("The key is [REDACTED] ok.");
    expect(joined("thinking-delta")).toBe("thinking of [REDACTED] now");
    const output = events
      .filter((e) => e.type === "tool-progress" && e.event?.type === "output")
      .map((e) => e.event?.text)
      .join("");
    expect(output).toContain("[REDACTED]");
    expect(output).not.toContain(ENV_KEY.slice(11));
    expect(await readTree(box.sessionsDir)).not.toContain(ENV_KEY.slice(11));
  });

  it("serve: A2A artifacts and sessions never carry the provider key or the server token", async () => {
    const model = track(
      await startScriptedOpenAI([{ toolCalls: [bash("env")] }, { text: `Key ${ENV_KEY}, token ${TOKEN}.` }]),
    );
    const box = await securityBox();
    const env = {
      ...box.env,
      OPENAI_API_KEY: ENV_KEY,
      OPENAI_BASE_URL: model.url,
      CODETETHER_AUTH_TOKEN: TOKEN,
    };
    await fs.mkdir(box.configDir, { recursive: true });
    await fs.writeFile(path.join(box.configDir, "config.toml"), '[permissions]\nauto_approve = "all"\n');
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "-m", "openai/gpt-4o"], {
      cwd: box.work,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    for (let i = 0; i < 600 && !/Bearer token:.*\n/.test(out); i++)
      await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (\S+)/.exec(out)?.[1] ?? "";
    const sent = await runCli(
      ["a2a", "send", "--url", url, "--token", TOKEN, "--json", "--no-stream", "env"],
      {
        cwd: box.work,
        env: box.env,
      },
    );
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain("[REDACTED]");
    expect(sent.stdout).not.toContain(ENV_KEY);
    expect(sent.stdout).not.toContain(TOKEN);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    const stored = await readTree(path.join(box.dir, "data", "codetether"));
    expect(stored).not.toContain(ENV_KEY);
    expect(stored).not.toContain(TOKEN);
  });
});
