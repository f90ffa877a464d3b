import { Box, Text } from "ink";
import type { Theme } from "../theme.js";
import { sanitizeTerminalText as clean } from "./sanitize.js";

export interface SelectItem {
  label: string;
  value: string;
  detail?: string;
}

export interface SelectState {
  title: string;
  items: SelectItem[];
  index: number;
  filter: string;
}

/** Items matching the typed filter (case-insensitive substring of label or detail). */
export function filtered(state: SelectState): SelectItem[] {
  const f = state.filter.toLowerCase();
  return f
    ? state.items.filter((i) => i.label.toLowerCase().includes(f) || i.detail?.toLowerCase().includes(f))
    : state.items;
}

/** A filterable list dialog (model picker, session picker). */
export function SelectList({ state, theme, height }: { state: SelectState; theme: Theme; height: number }) {
  const items = filtered(state);
  const visible = Math.max(3, height - 4);
  const index = Math.min(state.index, Math.max(0, items.length - 1));
  const start = Math.max(0, Math.min(index - Math.floor(visible / 2), items.length - visible));
  const lines = items.slice(start, start + visible).map((item, i) => {
    const selected = start + i === index;
    const label = `${selected ? "❯ " : "  "}${clean(item.label)}${item.detail ? `  ${theme.muted(clean(item.detail))}` : ""}`;
    return selected ? theme.accent(theme.bold(label)) : label;
  });
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={theme.color ? theme.colors.accent : undefined}
    >
      <Text>{theme.bold(state.title)}</Text>
      <Text>{theme.muted(`filter: ${state.filter || "(type to filter)"} · Enter select · Esc close`)}</Text>
      <Text>{lines.length ? lines.join("\n") : theme.muted("  (nothing matches)")}</Text>
    </Box>
  );
}
