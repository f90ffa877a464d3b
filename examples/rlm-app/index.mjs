// Answers a question about a log file with the Recursive Language Model, driven by a custom provider.
//   node index.mjs [logfile]
// The provider is a plain object implementing core's Provider interface (listModels + stream). This one is a
// tiny rule-based "model" so the example runs offline; swap in any real provider (e.g. from
// @codetether/providers) to ask real questions.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runRlm } from "@codetether/rlm";

function toolCall(id, name, args) {
  return [
    { type: "tool-call-start", id, name },
    { type: "tool-call-delta", id, argumentsDelta: JSON.stringify(args) },
    { type: "tool-call-end", id },
    { type: "finish", reason: "tool_calls" },
  ];
}

/** Counts ERROR lines with `rlm_count`, then answers with `rlm_final`. */
const countingProvider = {
  id: "rules",
  async listModels() {
    return [{ id: "error-counter", provider: "rules", contextWindow: 8192, supportsTools: true }];
  },
  async *stream(request) {
    const results = request.messages
      .filter((m) => m.role === "tool")
      .flatMap((m) => m.content)
      .filter((p) => p.type === "tool_result");
    if (results.length === 0) {
      yield* toolCall("c1", "rlm_count", { pattern: "ERROR" });
      return;
    }
    const matched = /^(\d+) of (\d+) lines/.exec(results.at(-1).content);
    const answer = matched
      ? `${matched[1]} of ${matched[2]} lines are errors.`
      : "I could not count the errors.";
    yield* toolCall("c2", "rlm_final", { answer });
  },
};

let file = process.argv[2];
if (!file) {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rlm-example-")), "app.log");
  const lines = Array.from({ length: 5000 }, (_, i) =>
    i % 250 === 0 ? `2026-01-01T00:00:${i} ERROR disk full` : `2026-01-01T00:00:${i} INFO ok`,
  );
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

const result = await runRlm({
  provider: countingProvider,
  model: "error-counter",
  question: "How many error lines are there?",
  sources: [{ path: file }],
});
console.log(result.answer);
