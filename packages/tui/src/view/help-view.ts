import { KEY_BINDINGS, SLASH_COMMANDS } from "../commands.js";
import type { Theme } from "../theme.js";

/** `?` help: every key binding and every slash command. */
export function helpLines(theme: Theme): string[] {
  const pad = (s: string, n: number) => s + " ".repeat(Math.max(1, n - s.length));
  return [
    theme.bold(theme.accent("Keys")),
    ...KEY_BINDINGS.map(([k, d]) => `  ${theme.accent(pad(k, 34))}${d}`),
    "",
    theme.bold(theme.accent("Commands")),
    ...SLASH_COMMANDS.map(([c, d]) => `  ${theme.accent(pad(c, 34))}${d}`),
    "",
    theme.muted("Esc or ? closes this help; PgUp/PgDn scroll."),
  ];
}
