// The ways people use codetether, each run the way a user would: from packed tarballs in a fresh project.
import fs from "node:fs";
import path from "node:path";
import { assertInstalled, prepareProject } from "./project.mjs";
import { README_BLOCKS, readmeExamples } from "./readme-use.mjs";
import { exec, expect, sandboxEnv } from "./sandbox.mjs";

const VENDOR_SDKS = [
  "@anthropic-ai/sdk",
  "@google/genai",
  "@aws-sdk/client-bedrock-runtime",
  "node-llama-cpp",
];

const writeThenAnswer = (file, content) => [
  { toolCalls: [{ name: "write", arguments: { path: file, content } }] },
  { text: `Created ${file}.` },
];

/** 1. A Node app importing core + providers + tools runs an agent turn that edits a file. */
async function agentApp({ packages, tmp, log, testing }) {
  const { dir } = prepareProject("agent-app", tmp, packages, log);
  assertInstalled(dir, {
    forbidden: [
      ...VENDOR_SDKS,
      "codetether",
      "@codetether/rlm",
      "@codetether/tool-router",
      "@codetether/swarm",
    ],
    required: ["@codetether/core", "@codetether/providers", "@codetether/tools", "openai"],
  });
  const work = path.join(dir, "work");
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(work, "hello.txt"), "hello\n");
  const server = await testing.startScriptedOpenAI([
    {
      toolCalls: [
        { name: "edit", arguments: { path: "hello.txt", oldString: "hello", newString: "hello, consumer" } },
      ],
    },
    { text: "Edited hello.txt." },
  ]);
  try {
    const env = sandboxEnv(dir, { OPENAI_API_KEY: "sk-consumer-test", OPENAI_BASE_URL: server.url });
    const { stdout } = await exec("node", ["index.mjs", work, "edit hello.txt"], { cwd: dir, env });
    expect(
      stdout.includes("[edit]") && stdout.includes("Edited hello.txt."),
      `unexpected output:\n${stdout}`,
    );
    const text = fs.readFileSync(path.join(work, "hello.txt"), "utf8");
    expect(text === "hello, consumer\n", `hello.txt was not edited: ${JSON.stringify(text)}`);
    expect(server.requests.length === 2, `expected 2 model calls, got ${server.requests.length}`);
  } finally {
    await server.close();
  }
}

async function runCliTurn(cmd, args, { cwd, dir, testing, file }) {
  const server = await testing.startScriptedOpenAI(writeThenAnswer(file, "hi from the CLI\n"));
  try {
    const env = sandboxEnv(dir, { OPENAI_API_KEY: "sk-consumer-test", OPENAI_BASE_URL: server.url });
    const { stdout } = await exec(
      cmd,
      [...args, "run", "--json", "--yes", "--model", "openai/gpt-4o", `create ${file}`],
      { cwd, env },
    );
    const done = JSON.parse(stdout.trim().split("\n").at(-1));
    expect(done.type === "done" && done.text === `Created ${file}.`, `unexpected last event: ${stdout}`);
    const text = fs.readFileSync(path.join(cwd, file), "utf8");
    expect(text === "hi from the CLI\n", `${file} has ${JSON.stringify(text)}`);
  } finally {
    await server.close();
  }
}

/** A `write` then an answer, scripted for each native vendor's fake API (from @codetether/testing). */
const VENDOR_TURNS = [
  {
    id: "anthropic",
    model: "claude-sonnet-4-20250514",
    start: (t, file) =>
      t.startFakeAnthropicServer({
        apiKey: "sk-ant-consumer",
        replies: [
          { toolCalls: [{ id: "toolu_1", name: "write", input: { path: file, content: "anthropic\n" } }] },
          { text: `Created ${file}.` },
        ],
      }),
    env: (url) => ({ ANTHROPIC_API_KEY: "sk-ant-consumer", ANTHROPIC_BASE_URL: url }),
    toml: () => "",
  },
  {
    id: "google",
    model: "gemini-2.5-pro",
    start: (t, file) =>
      t.startFakeGeminiServer({
        apiKey: "AIza-consumer",
        replies: [
          { functionCalls: [{ id: "call_g1", name: "write", args: { path: file, content: "google\n" } }] },
          { text: `Created ${file}.` },
        ],
      }),
    env: () => ({ GEMINI_API_KEY: "AIza-consumer" }),
    toml: (url) => `[providers.google]\nbase_url = "${url}"\n`,
  },
  {
    id: "bedrock",
    model: "claude-sonnet-4",
    start: (t, file) =>
      t.startFakeBedrockServer({
        accessKeyId: "AKIDCONSUMER",
        replies: [
          {
            toolUses: [
              { toolUseId: "tooluse_b1", name: "write", input: { path: file, content: "bedrock\n" } },
            ],
          },
          { text: `Created ${file}.` },
        ],
      }),
    env: () => ({
      AWS_ACCESS_KEY_ID: "AKIDCONSUMER",
      AWS_SECRET_ACCESS_KEY: "consumer-secret-access-key",
      AWS_REGION: "us-east-1",
    }),
    toml: (url) => `[providers.bedrock]\nbase_url = "${url}"\n`,
  },
];

/** One tool turn of the installed CLI against a vendor's fake, in a project of its own (own config). */
async function runVendorTurn(vendor, { dir, testing, tmp, log }) {
  const file = `${vendor.id}.txt`;
  const work = path.join(tmp, `vendor-${vendor.id}`);
  fs.mkdirSync(work, { recursive: true });
  const fake = await vendor.start(testing, file);
  try {
    const env = sandboxEnv(work, vendor.env(fake.url));
    const toml = vendor.toml(fake.url);
    if (toml) {
      const configDir = path.join(env.XDG_CONFIG_HOME, "codetether");
      fs.mkdirSync(configDir, { recursive: true });
      fs.writeFileSync(path.join(configDir, "config.toml"), toml);
    }
    const bin = path.join(dir, "node_modules/.bin/codetether");
    const { stdout } = await exec(
      bin,
      ["run", "--json", "--yes", "--model", `${vendor.id}/${vendor.model}`, `create ${file}`],
      { cwd: work, env },
    );
    const done = JSON.parse(stdout.trim().split("\n").at(-1));
    expect(
      done.type === "done" && done.text === `Created ${file}.`,
      `${vendor.id}: unexpected last event: ${stdout}`,
    );
    const text = fs.readFileSync(path.join(work, file), "utf8");
    expect(text === `${vendor.id}\n`, `${vendor.id}: ${file} has ${JSON.stringify(text)}`);
    log(`  ${vendor.id}: a tool turn through the bundled SDK`);
  } finally {
    await fake.close();
  }
}

/** 2. The installed CLI tarball (`npx codetether`), and its dist/ copied alone. */
async function cli({ packages, tmp, log, testing }) {
  const { dir } = prepareProject("cli", tmp, packages, log);
  // dist/ is one code-split bundle with every vendor SDK inside: the CLI installs no dependency at all (only
  // node-llama-cpp is an optional peer).
  const installed = assertInstalled(dir, {
    forbidden: [...VENDOR_SDKS, "@codetether/core", "commander", "zod", "openai"],
    required: ["codetether"],
  });
  expect(installed.size === 1, `the CLI installed more than itself: ${[...installed].join(", ")}`);
  const env = sandboxEnv(dir);
  const version = packages.get("codetether").manifest.version;
  const v = await exec("npx", ["--no-install", "codetether", "--version"], { cwd: dir, env });
  expect(
    v.stdout.trim() === version,
    `codetether --version printed ${JSON.stringify(v.stdout)}, expected ${version}`,
  );
  await runCliTurn("npx", ["--no-install", "codetether"], { cwd: dir, dir, testing, file: "npx.txt" });
  // Every vendor works from the one installed package: its SDK is a bundled chunk, nothing else to install.
  for (const vendor of VENDOR_TURNS) await runVendorTurn(vendor, { dir, testing, tmp, log });

  // The package's dist/ runs alone: copied to an empty directory, no node_modules anywhere above it.
  const alone = path.join(tmp, "dist-alone");
  const dist = path.join(alone, "codetether");
  fs.cpSync(path.join(dir, "node_modules/codetether/dist"), dist, { recursive: true });
  const bin = path.join(dist, "bin.cjs");
  const bv = await exec("node", [bin, "--version"], { cwd: alone, env: sandboxEnv(alone) });
  expect(bv.stdout.trim() === version, `dist/bin.cjs --version printed ${JSON.stringify(bv.stdout)}`);
  await runCliTurn("node", [bin], { cwd: alone, dir: alone, testing, file: "alone.txt" });
  const files = fs.readdirSync(dist);
  const js = files.filter((f) => /\.c?js$/.test(f));
  const mb = js.reduce((sum, f) => sum + fs.statSync(path.join(dist, f)).size, 0) / 1e6;
  log(`  CLI dist/: ${js.length} chunks, ${mb.toFixed(1)} MB of JavaScript, ran alone`);
}

/** 3. Only the tool router (+ its peer node-llama-cpp) routes a text answer into a tool call. */
async function toolRouter({ packages, tmp, log, testing }) {
  const { dir } = prepareProject("tool-router-app", tmp, packages, log);
  assertInstalled(dir, {
    forbidden: ["openai", "@codetether/providers", "@codetether/tools", "@codetether/rlm", "codetether"],
    required: ["@codetether/tool-router", "@codetether/core", "node-llama-cpp"],
  });
  const model = path.join(dir, "tiny.gguf");
  await testing.writeTinyGguf(model, { seed: 42, ctx: 2048, extraWords: ["write", "content", "notes"] });
  const { stdout } = await exec("node", ["index.mjs", model], {
    cwd: dir,
    env: sandboxEnv(dir),
    timeoutMs: 180_000,
  });
  const calls = stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  expect(calls.length >= 1, `no tool call was routed:\n${stdout}`);
  for (const call of calls) {
    expect(call.name === "write", `routed to an unknown tool: ${JSON.stringify(call)}`);
    expect(
      typeof call.arguments.path === "string" &&
        call.arguments.path.length > 0 &&
        typeof call.arguments.content === "string",
      `arguments do not match the write schema: ${JSON.stringify(call.arguments)}`,
    );
  }
}

/** 4. Only RLM, with a custom provider object. */
async function rlm({ packages, tmp, log }) {
  const { dir } = prepareProject("rlm-app", tmp, packages, log);
  const installed = assertInstalled(dir, {
    forbidden: [
      ...VENDOR_SDKS,
      "openai",
      "@codetether/providers",
      "@codetether/tools",
      "@codetether/tool-router",
    ],
    required: ["@codetether/rlm", "@codetether/core", "zod"],
  });
  log(`  rlm-app installs ${installed.size} packages`);
  const { stdout } = await exec("node", ["index.mjs"], { cwd: dir, env: sandboxEnv(dir) });
  expect(stdout.trim() === "20 of 5000 lines are errors.", `unexpected answer: ${JSON.stringify(stdout)}`);
}

/** 5. A provider from a third-party package, selected with --model myprov/my-model. */
async function customProvider({ packages, tmp, log }) {
  const { dir } = prepareProject("custom-provider", tmp, packages, log);
  assertInstalled(dir, { forbidden: VENDOR_SDKS, required: ["codetether", "my-provider-package"] });
  const env = sandboxEnv(dir);
  const bin = ["--no-install", "codetether"];
  await exec("npx", [...bin, "config", "--set", "providers.myprov.module=my-provider-package"], {
    cwd: dir,
    env,
  });
  const { stdout } = await exec("npx", [...bin, "run", "--model", "myprov/my-model", "say hello"], {
    cwd: dir,
    env,
  });
  expect(
    stdout.includes("echo from myprov/my-model: say hello"),
    `unexpected output: ${JSON.stringify(stdout)}`,
  );
}

/**
 * 7. The packed CLI alone with no key: `models --pull --yes` installs the llama.cpp runtime from the npm registry (a
 * real install, integrity-checked) into the data dir, and `run` then completes a turn on the local default (a
 * generated tiny GGUF through CODETETHER_LOCAL_MODEL, so only the runtime is downloaded).
 */
async function localDefault({ packages, tmp, log, testing }) {
  const files = {
    "package.json": `${JSON.stringify({ name: "local-default", private: true, dependencies: { codetether: "*" } }, null, 2)}\n`,
  };
  const { dir } = prepareProject("local-default", tmp, packages, log, files);
  const installed = assertInstalled(dir, { forbidden: VENDOR_SDKS, required: ["codetether"] });
  expect(installed.size === 1, `the CLI installed more than itself: ${[...installed].join(", ")}`);
  const model = path.join(dir, "tiny.gguf");
  await testing.writeTinyGguf(model, { ctx: 32768 });
  const work = path.join(dir, "work");
  fs.mkdirSync(work);
  const env = sandboxEnv(dir, {
    CODETETHER_LOCAL_MODEL: model,
    CODETETHER_LOCAL_THREADS: "1",
    CODETETHER_LOCAL_CONTEXT: "32768",
    CODETETHER_LOCAL_MAX_TOKENS: "24",
    // A registry mirror configured for this machine applies to the runtime install too.
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; npm's own setting, passed through.
    ...(process.env.npm_config_registry ? { npm_config_registry: process.env.npm_config_registry } : {}),
  });
  delete env.npm_config_prefer_offline;
  const bin = path.join(dir, "node_modules/.bin/codetether");
  const t0 = Date.now();
  const pull = await exec(bin, ["models", "--pull", "--yes"], { cwd: work, env, timeoutMs: 600_000 });
  expect(pull.stdout.trim() === model, `models --pull printed ${JSON.stringify(pull.stdout)}`);
  expect(pull.stderr.includes("llama.cpp runtime: installed"), `no install progress:\n${pull.stderr}`);
  const runtime = path.join(env.XDG_DATA_HOME, "codetether", "runtime", "node-llama-cpp@3.22.1");
  const manifest = JSON.parse(fs.readFileSync(path.join(runtime, "codetether-runtime.json"), "utf8"));
  expect(
    manifest.packages.map((p) => p.name).join(",") ===
      `node-llama-cpp,@node-llama-cpp/${process.platform}-${process.arch}`,
    `unexpected runtime packages: ${JSON.stringify(manifest.packages)}`,
  );
  expect(
    !fs.existsSync(path.join(dir, "node_modules/node-llama-cpp")),
    "node-llama-cpp landed beside the CLI",
  );
  log(
    `  models --pull installed the llama.cpp runtime from the registry in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  const { stdout, stderr } = await exec(bin, ["run", "--json", "--max-steps", "1", "hello"], {
    cwd: work,
    env,
    timeoutMs: 300_000,
  });
  expect(!stderr.includes("[Y/n]"), `run asked again after models --pull:\n${stderr}`);
  const events = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(
    events[0]?.type === "turn-start" && events[0].model === "local/default",
    `unexpected start: ${stdout}`,
  );
  const usage = events.find((e) => e.type === "usage");
  expect(usage?.usage.completionTokens > 0, `no tokens were generated: ${stdout}`);
  expect(events.at(-1)?.type === "done", `the turn did not complete: ${stdout}`);
  log("  run with no key completed a turn on the local default");
}

export const USES = [
  {
    name: "agent-app",
    run: agentApp,
    needs: ["@codetether/core", "@codetether/providers", "@codetether/tools"],
  },
  { name: "cli", run: cli, needs: ["codetether"] },
  { name: "tool-router", run: toolRouter, needs: ["@codetether/tool-router"] },
  { name: "rlm", run: rlm, needs: ["@codetether/rlm"] },
  { name: "custom-provider", run: customProvider, needs: ["codetether"] },
  { name: "local-default", run: localDefault, needs: ["codetether"] },
  { name: "readmes", run: readmeExamples, needs: Object.keys(README_BLOCKS) },
];
