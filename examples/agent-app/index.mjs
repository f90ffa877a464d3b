// Runs one agent turn with the built-in tools in a directory of your choice.
//   OPENAI_API_KEY=sk-... node index.mjs <workdir> "create hello.txt saying hi"
// Any OpenAI-compatible server works: set OPENAI_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama).
import path from "node:path";
import { Agent, RuleGate } from "@codetether/core";
import { createProviderRegistry } from "@codetether/providers";
import { createToolRegistry } from "@codetether/tools";

const [dir = ".", ...words] = process.argv.slice(2);
const cwd = path.resolve(dir);
const prompt = words.join(" ") || "Create hello.txt containing the word hi.";

// Providers come from config (none here) and the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, ...).
const providers = await createProviderRegistry({ config: { providers: {} } });
const { provider, model } = providers.resolve(process.env.MODEL ?? "openai/gpt-4o");

// This app is non-interactive: approve every tool call, but never let the agent touch .env files.
const gate = new RuleGate({ rules: [{ tool: "*", path: ".env*", action: "deny" }], autoApprove: "all" });
const tools = createToolRegistry({ gate, exclude: ["question"] });

const agent = new Agent({ provider, model, tools, cwd, maxSteps: 10 });
for await (const event of agent.run(prompt)) {
  if (event.type === "text-delta") process.stdout.write(event.text);
  if (event.type === "tool-start") console.log(`[${event.tool}] ${JSON.stringify(event.args)}`);
  if (event.type === "done") console.log(`\n(done in ${event.steps} steps)`);
}
