// One RLM run over a log file with a scripted model: it counts the ERROR lines with rlm_count, then answers
// with rlm_final. Prints {ms, peakRssMb, answer} as JSON. Run by bench/rlm.bench.mjs in its own process.
import { distUrl, selfPeakRssMb } from "./paths.mjs";

const [file, pattern] = process.argv.slice(2);
const { runRlm } = await import(distUrl("packages/rlm"));

function call(name, args) {
  const id = `call_${name}`;
  return [
    { type: "tool-call-start", id, name },
    { type: "tool-call-delta", id, argumentsDelta: JSON.stringify(args) },
    { type: "tool-call-end", id },
    { type: "finish", reason: "tool_calls" },
  ];
}

const provider = {
  id: "scripted",
  async listModels() {
    return [];
  },
  async *stream(request) {
    const results = request.messages.flatMap((m) => m.content).filter((p) => p.type === "tool_result");
    const counted = results.find((r) => /lines match/.test(r.content));
    if (!counted) yield* call("rlm_count", { pattern });
    else yield* call("rlm_final", { answer: counted.content.split(" ")[0] });
  },
};

const start = performance.now();
const result = await runRlm({
  provider,
  model: "scripted",
  question: `How many lines contain ${pattern}?`,
  sources: [{ path: file }],
});
const ms = performance.now() - start;
if (!result.finished) throw new Error("the RLM run did not finish");
console.log(JSON.stringify({ ms, peakRssMb: selfPeakRssMb(), answer: result.answer }));
