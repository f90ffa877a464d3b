import type { TranscriptState } from "../state/transcript.js";
import type { Theme } from "../theme.js";
import { sanitizeTerminalText } from "./sanitize.js";

/** `/inspector`: tokens per step, then the latest raw agent events as JSON lines. */
export function inspectorLines(transcript: TranscriptState, theme: Theme, width: number): string[] {
  const out = [theme.bold(theme.accent("Tokens per step"))];
  if (!transcript.steps.length) out.push(theme.muted("  (no model calls yet)"));
  transcript.steps.forEach((s, i) => {
    const cost = s.cost !== undefined ? `  $${s.cost.toFixed(4)}` : "";
    out.push(`  #${i + 1} step ${s.step}: ${s.input} in / ${s.output} out${cost}`);
  });
  out.push("", theme.bold(theme.accent(`Raw events (latest ${transcript.events.length})`)));
  for (const event of transcript.events) {
    const json = sanitizeTerminalText(JSON.stringify(event));
    out.push(`  ${json.length > width - 4 ? `${json.slice(0, Math.max(10, width - 5))}…` : json}`);
  }
  return out;
}
