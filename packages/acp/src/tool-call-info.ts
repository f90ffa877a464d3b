import path from "node:path";
import type { ToolCallContent, ToolCallLocation, ToolKind } from "@agentclientprotocol/sdk";
import { revealPadding, type ToolResult } from "@codetether/core";

const KINDS: Record<string, ToolKind> = {
  read: "read",
  list: "read",
  image: "read",
  write: "edit",
  edit: "edit",
  multiedit: "edit",
  apply_patch: "edit",
  undo: "edit",
  glob: "search",
  grep: "search",
  codesearch: "search",
  bash: "execute",
  webfetch: "fetch",
  websearch: "fetch",
  todowrite: "think",
  todoread: "think",
  plan_enter: "switch_mode",
  plan_exit: "switch_mode",
};

type Args = Record<string, unknown>;

function asArgs(args: unknown): Args {
  return args && typeof args === "object" && !Array.isArray(args) ? (args as Args) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** The ACP kind of a codetether tool (icons and grouping in the editor). */
export function toolKind(toolId: string): ToolKind {
  return KINDS[toolId] ?? "other";
}

/**
 * The command of a bash call as its title shows it, whole and on one line (line breaks as ⏎, padding as
 * `⟨N blank⟩`): editors show the title when they ask permission, and what is approved must be what runs.
 */
function commandTitle(command: string): string {
  return `Run \`${revealPadding(command.replace(/\r?\n/g, " ⏎ "))}\``;
}

/**
 * A short human title, e.g. "Edit src/a.ts" or "Run `npm test`". A bash call's title is its command, never the
 * model's `description` of it (which could say "Run the tests" for `curl … | sh`).
 */
export function toolTitle(toolId: string, rawArgs: unknown): string {
  const args = asArgs(rawArgs);
  const p = str(args.path);
  const short = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
  switch (toolId) {
    case "read":
      return p ? `Read ${p}` : "Read";
    case "write":
      return p ? `Write ${p}` : "Write";
    case "edit":
    case "multiedit":
      return p ? `Edit ${p}` : "Edit";
    case "list":
      return `List ${p ?? "."}`;
    case "bash":
      return str(args.command) ? commandTitle(String(args.command)) : "Run";
    case "grep":
    case "glob":
      return str(args.pattern) ? `${toolId} ${short(String(args.pattern))}` : toolId;
    case "webfetch":
      return str(args.url) ? `Fetch ${args.url}` : "Fetch";
    case "todowrite":
      return "Update plan";
    default:
      return toolId;
  }
}

/** Files a call touches, absolute, so the editor can follow along. */
export function toolLocations(toolId: string, rawArgs: unknown, cwd: string): ToolCallLocation[] {
  const args = asArgs(rawArgs);
  const p = str(args.path);
  if (!p || toolKind(toolId) === "search" || toolId === "bash") return [];
  const location: ToolCallLocation = { path: path.resolve(cwd, p) };
  if (toolId === "read" && typeof args.offset === "number") location.line = args.offset;
  return [location];
}

interface DiffMeta {
  path: string;
  oldText: string | null;
  newText: string;
}

function diffFromMetadata(result: ToolResult | undefined): DiffMeta | undefined {
  const d = result?.metadata?.diff as Partial<DiffMeta> | undefined;
  if (!d || typeof d.path !== "string" || typeof d.newText !== "string") return undefined;
  return { path: d.path, oldText: typeof d.oldText === "string" ? d.oldText : null, newText: d.newText };
}

/** Diff content for edits: from the tool's metadata when it has one, else from the arguments. */
export function toolDiffs(
  toolId: string,
  rawArgs: unknown,
  cwd: string,
  result?: ToolResult,
): ToolCallContent[] {
  const fromMeta = diffFromMetadata(result);
  if (fromMeta) return [{ type: "diff", ...fromMeta }];
  const args = asArgs(rawArgs);
  const p = str(args.path);
  if (!p) return [];
  const abs = path.resolve(cwd, p);
  if (toolId === "write" && typeof args.content === "string")
    return [{ type: "diff", path: abs, oldText: null, newText: args.content }];
  if (toolId === "edit" && typeof args.oldString === "string" && typeof args.newString === "string")
    return [{ type: "diff", path: abs, oldText: args.oldString || null, newText: args.newString }];
  return [];
}
