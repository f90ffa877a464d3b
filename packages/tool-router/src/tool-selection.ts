import type { ToolDefinition } from "@codetether/core";

/**
 * Which tools the router declares for one answer. FunctionGemma's context is small and a declaration of the
 * default tool set is ~25k characters, so only the tools that can matter are declared: those named in the
 * answer, those its words clearly imply, then a small core set — best first, at most `maxTools`.
 */

/** Always worth declaring when there is room: what a coding answer most often means. */
export const CORE_TOOLS = ["read", "edit", "write", "bash", "grep", "glob", "list"] as const;

/** Words that imply a built-in tool although its name is not said ("run the tests" → bash). */
const IMPLIED_BY: Record<string, readonly string[]> = {
  bash: [
    "run",
    "execute",
    "command",
    "shell",
    "npm",
    "pnpm",
    "npx",
    "test",
    "tests",
    "install",
    "build",
    "git",
    "make",
    "compile",
  ],
  read: ["read", "open", "look", "view", "show", "contents", "inspect", "check"],
  write: ["create", "write", "save", "new"],
  edit: ["edit", "change", "replace", "modify", "fix", "update", "rename"],
  multiedit: ["edits", "changes", "replacements"],
  apply_patch: ["patch", "diff", "hunk"],
  grep: ["search", "grep", "occurrences", "usages", "references", "mentions"],
  glob: ["find", "files", "matching", "glob"],
  list: ["list", "directory", "folder", "folders", "ls", "tree"],
  webfetch: ["fetch", "url", "http", "https", "page", "website", "download"],
  websearch: ["web", "online", "google", "internet"],
  todowrite: ["todo", "todos", "plan", "checklist"],
  todoread: ["todo", "todos", "checklist"],
  task: ["delegate", "subagent", "sub-agent"],
};

const WORD = /[a-z0-9][a-z0-9_-]*/g;

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(WORD) ?? []);
}

/** Where the (lower-case) answer first says the tool's name, as `apply_patch` or `apply patch`; -1 if never. */
function namedAt(answer: string, name: string): number {
  const lower = name.toLowerCase();
  const spaced = lower.replace(/[_-]+/g, " ");
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(^|[^a-z0-9_])(${escaped(lower)}|${escaped(spaced)})($|[^a-z0-9_])`);
  const match = pattern.exec(answer);
  return match ? match.index + (match[1] as string).length : -1;
}

/** How strongly the answer implies a tool it does not name (0 = not at all). */
function implied(answerWords: Set<string>, tool: ToolDefinition): number {
  const hints = IMPLIED_BY[tool.name] ?? [];
  let score = 0;
  for (const hint of hints) if (answerWords.has(hint)) score += 2;
  // Other tools (MCP, plugins): the parts of their name, e.g. "create_issue" is implied by "issue".
  for (const part of tool.name.toLowerCase().split(/[^a-z0-9]+/)) {
    if (part.length >= 4 && answerWords.has(part)) score += 1;
  }
  return score;
}

/**
 * The tools to declare for `answer`, best first: named ones (in the order the answer names them), then
 * implied ones (strongest first), then the core set; at most `maxTools`, never a tool not in `tools`.
 */
export function selectTools(
  answer: string,
  tools: readonly ToolDefinition[],
  maxTools: number,
): ToolDefinition[] {
  const lower = answer.toLowerCase();
  const answerWords = words(answer);
  const scored = tools.map((tool, index) => {
    const at = namedAt(lower, tool.name);
    const strength = implied(answerWords, tool);
    const core = (CORE_TOOLS as readonly string[]).indexOf(tool.name);
    if (at >= 0) return { tool, index, rank: 0, order: at };
    if (strength > 0) return { tool, index, rank: 1, order: -strength };
    return { tool, index, rank: core >= 0 ? 2 : 3, order: core };
  });
  return scored
    .filter((s) => s.rank < 3 || tools.length <= maxTools)
    .sort((a, b) => a.rank - b.rank || a.order - b.order || a.index - b.index)
    .slice(0, Math.max(0, maxTools))
    .map((s) => s.tool);
}
