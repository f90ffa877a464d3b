import type { ToolEntry } from "../state/transcript.js";
import type { Theme } from "../theme.js";

/** Lines of a collapsed tool output. */
export const COLLAPSED_LINES = 3;

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A one-line summary of a tool call's arguments, e.g. `write notes/a.txt`. */
export function toolTitle(entry: ToolEntry): string {
  const args = (entry.args && typeof entry.args === "object" ? entry.args : {}) as Record<string, unknown>;
  const target =
    str(args.path) ??
    str(args.filePath) ??
    str(args.command) ??
    str(args.pattern) ??
    str(args.url) ??
    str(args.query) ??
    str(args.question) ??
    (typeof entry.args === "string" ? entry.args : "");
  return target ? `${entry.tool} ${target.split("\n")[0]}` : entry.tool;
}

/** Diff lines for edit-like tools: `-` old, `+` new. Empty for other tools. */
export function toolDiff(entry: ToolEntry, theme: Theme): string[] {
  const args = (entry.args && typeof entry.args === "object" ? entry.args : {}) as Record<string, unknown>;
  const out: string[] = [];
  const add = (prefix: "-" | "+", text: string) => {
    for (const line of text.split("\n"))
      out.push(prefix === "-" ? theme.error(`- ${line}`) : theme.success(`+ ${line}`));
  };
  if (entry.tool === "edit" && typeof args.newString === "string") {
    if (typeof args.oldString === "string" && args.oldString) add("-", args.oldString);
    add("+", args.newString);
  } else if (entry.tool === "write" && typeof args.content === "string") {
    add("+", args.content.replace(/\n$/, ""));
  } else if (entry.tool === "multiedit" && Array.isArray(args.edits)) {
    for (const edit of args.edits as Array<Record<string, unknown>>) {
      if (typeof edit.oldString === "string" && edit.oldString) add("-", edit.oldString);
      if (typeof edit.newString === "string") add("+", edit.newString);
    }
  } else if (entry.tool === "apply_patch" && typeof args.patch === "string") {
    for (const line of args.patch.split("\n")) {
      if (line.startsWith("+")) out.push(theme.success(line));
      else if (line.startsWith("-")) out.push(theme.error(line));
      else out.push(theme.muted(line));
    }
  }
  return out;
}

/** Renders a tool call: status, title, diff (edits), and its output (collapsed to a few lines). */
export function renderTool(entry: ToolEntry, theme: Theme): string[] {
  const icon =
    entry.status === "running"
      ? theme.warning("⋯")
      : entry.status === "ok"
        ? theme.success("✓")
        : theme.error("✗");
  const took = entry.durationMs !== undefined ? theme.muted(` (${entry.durationMs} ms)`) : "";
  const lines = [`${icon} ${theme.tool(toolTitle(entry))}${took}`];
  const diff = toolDiff(entry, theme);
  const limit = entry.expanded ? Number.POSITIVE_INFINITY : 12;
  for (const line of diff.slice(0, limit)) lines.push(`  ${line}`);
  if (diff.length > limit)
    lines.push(theme.muted(`  … ${diff.length - limit} more diff lines (Ctrl+O expands)`));
  const body = (entry.status === "running" ? entry.progress : entry.output).replace(/\s+$/, "");
  if (body) {
    const outLines = body.split("\n");
    const shown = entry.expanded ? outLines : outLines.slice(0, COLLAPSED_LINES);
    for (const line of shown) lines.push(theme.muted(`  │ ${line}`));
    if (shown.length < outLines.length)
      lines.push(theme.muted(`  … ${outLines.length - shown.length} more lines (Ctrl+O expands)`));
  }
  return lines;
}
