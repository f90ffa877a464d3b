import { type AgentEvent, toJsonText } from "@codetether/core";

/**
 * `--json`: one JSON object per line per agent event, for machines. JSON escapes C0 controls but not C1 ones
 * (U+009B is CSI) or bidi overrides; `toJsonText` escapes those too (the same JSON once parsed), so the
 * stream is safe to watch in a terminal.
 */
export function createJsonRenderer(out: NodeJS.WritableStream): (event: AgentEvent) => void {
  return (event) => {
    out.write(toJsonText(event));
  };
}
