// Turns the text answer of a model without tool calling into a structured tool call.
//   node index.mjs [/path/to/functiongemma-270m-it-Q8_0.gguf]
// Without a path the published default (hf:unsloth/functiongemma-270m-it-GGUF:Q8_0) is downloaded on first use.
// (The consumer test passes a tiny generated GGUF: its calls are valid but not meaningful.)
import { ToolRouter } from "@codetether/tool-router";

const modelPath = process.argv[2] ?? process.env.CODETETHER_TOOL_ROUTER_MODEL_PATH;

const router = new ToolRouter({
  // The same keys as `[tool_router]` in config.toml; omitted ones take the defaults.
  config: { enabled: true, ...(modelPath ? { model_path: modelPath } : {}), device: "cpu", max_tokens: 256 },
  threads: 1,
  // At least one call, short strings: keeps generation quick on a CPU.
  bounds: { minCalls: 1, maxStringLength: 24 },
});

const tools = [
  {
    name: "write",
    description: "Write a file",
    parameters: {
      type: "object",
      properties: { path: { type: "string", minLength: 1 }, content: { type: "string" } },
      required: ["path", "content"],
      additionalProperties: false,
    },
  },
];

try {
  const calls = await router.route({ text: "I'll create notes.txt containing 'hi'.", tools });
  for (const call of calls)
    console.log(JSON.stringify({ name: call.name, arguments: JSON.parse(call.arguments) }));
} finally {
  await router.dispose();
}
