import { SLASH_COMMANDS } from "../commands.js";
import type { Theme } from "../theme.js";
import { sanitizeTerminalText as clean } from "./sanitize.js";

export interface MenuCommand {
  name: string;
  description: string;
}

const MAX_ROWS = 12;

/** Built-in commands as menu entries (`/model [provider/model]` → `model`). */
export function builtinMenu(): MenuCommand[] {
  return SLASH_COMMANDS.map(([usage, description]) => ({
    name: (usage.split(" ")[0] ?? "").slice(1),
    description,
  }));
}

/**
 * The command list shown while the prompt is `/` plus a partial name (no space yet): custom commands, then built-in
 * ones, filtered by prefix. Empty for anything else, so it never covers a normal prompt.
 */
export function commandMenuLines(
  text: string,
  builtins: MenuCommand[],
  customs: MenuCommand[],
  theme: Theme,
  width: number,
): string[] {
  if (!text.startsWith("/") || text.startsWith("//") || /\s/.test(text)) return [];
  const prefix = text.slice(1).toLowerCase();
  // The project's and user's own commands first: with a bare "/" they are what a user is most likely after.
  const matches = [
    ...customs
      .filter((c) => c.name.toLowerCase().startsWith(prefix))
      .map((c) => ({ ...c, tag: " (custom)" })),
    ...builtins.filter((c) => c.name.startsWith(prefix)).map((c) => ({ ...c, tag: "" })),
  ];
  if (!matches.length) return [theme.muted(`no command starts with /${clean(prefix)}`)];
  const nameWidth = Math.min(24, Math.max(...matches.map((m) => m.name.length)) + 2);
  const shown = matches.slice(0, MAX_ROWS).map((m) => {
    const line = `${`/${clean(m.name)}`.padEnd(nameWidth + 1)} ${clean(m.description)}${m.tag}`;
    return theme.accent(line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line);
  });
  if (matches.length > MAX_ROWS) shown.push(theme.muted(`… ${matches.length - MAX_ROWS} more (keep typing)`));
  return shown;
}
