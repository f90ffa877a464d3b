import { Text } from "ink";
import type { ControllerState } from "../state/controller.js";
import type { Theme } from "../theme.js";
import { sanitizeTerminalText } from "./sanitize.js";

function compactNumber(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

/** The status line text: model, tokens, cost, context use (shortened on narrow terminals). */
export function statusText(state: ControllerState, width: number, layout: string): string {
  const total = state.transcript.total;
  const tokens = total
    ? `${compactNumber(total.promptTokens)} in / ${compactNumber(total.completionTokens)} out`
    : "0 tokens";
  const cost = total?.cost !== undefined ? `$${total.cost.toFixed(4)}` : "$—";
  const last = state.transcript.steps.at(-1);
  const window = state.modelInfo?.contextWindow;
  const context =
    window && last
      ? `ctx ${Math.round(((last.input + last.output) / window) * 100)}%`
      : window
        ? "ctx 0%"
        : "ctx ?";
  const busy = state.transcript.running ? "● working (Esc interrupts)" : "○ ready";
  const parts = [state.agent ? `${state.model} · ${state.agent}` : state.model, tokens, cost, context, busy];
  if (width >= 100) parts.push(`${layout} · ? help`);
  const text = parts.join(" │ ");
  return width < 60 ? [state.model, tokens, busy].join(" │ ") : text;
}

export function StatusLine({
  state,
  theme,
  width,
  layout,
}: {
  state: ControllerState;
  theme: Theme;
  width: number;
  layout: string;
}) {
  return (
    <Text wrap="truncate-end">
      {theme.inverse(theme.accent(` ${sanitizeTerminalText(statusText(state, width, layout))} `))}
    </Text>
  );
}
