import type { AgentEvent } from "@codetether/core";

/** `--json`: one JSON object per line per agent event, for machines. */
export function createJsonRenderer(out: NodeJS.WritableStream): (event: AgentEvent) => void {
  return (event) => {
    out.write(`${JSON.stringify(event)}\n`);
  };
}
