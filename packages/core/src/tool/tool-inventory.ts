import type { RuleGate } from "../permission/rule-gate.js";
import type { ToolKind } from "./tool.js";
import type { ToolRegistry } from "./tool-registry.js";

/** One tool as `codetether tools list` shows it. */
export interface ToolInventoryRow {
  name: string;
  /** `builtin`, `mcp:<server>` or `plugin:<id>`. */
  source: string;
  kind: ToolKind;
  /** `allow`, `ask` or `deny` for a call without paths, e.g. `allow (deny on some paths)` when path rules differ. */
  permission: string;
  planMode: "allowed" | "blocked";
}

/** Every tool of a registry with where it comes from and what the gate's rules say about it, sorted by name. */
export function toolInventory(registry: ToolRegistry, gate: RuleGate): ToolInventoryRow[] {
  return registry
    .list()
    .map((tool) => {
      const standing = gate.standing(tool);
      const onPaths = standing.onSomePaths.length ? ` (${standing.onSomePaths.join("/")} on some paths)` : "";
      return {
        name: tool.id,
        source: tool.origin ?? "builtin",
        kind: tool.kind,
        permission: `${standing.action}${onPaths}`,
        planMode: standing.planMode,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The inventory as aligned text columns (no trailing spaces). */
export function formatToolInventory(rows: readonly ToolInventoryRow[]): string {
  const header: ToolInventoryRow = {
    name: "TOOL",
    source: "SOURCE",
    kind: "KIND" as ToolKind,
    permission: "PERMISSION",
    planMode: "PLAN MODE" as ToolInventoryRow["planMode"],
  };
  const all = [header, ...rows];
  const cells = all.map((r) => [r.name, r.source, r.kind, r.permission, r.planMode]);
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return `${cells
    .map((c) =>
      c
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
