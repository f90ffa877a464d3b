import path from "node:path";

/**
 * `value` with every absolute path under `workspace` written relative to it (`/srv/ws/src/a.ts` →
 * `src/a.ts`, the workspace itself → `.`), in strings, arrays and objects alike. Used for what file tools
 * report to A2A clients, who must not learn the server's directory layout.
 */
export function relativePaths<T>(value: T, workspace: string | undefined): T {
  if (!workspace) return value;
  const root = path.resolve(workspace);
  const rewrite = (v: unknown): unknown => {
    if (typeof v === "string") return rewriteText(v, root);
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, rewrite(item)]));
    }
    return v;
  };
  return rewrite(value) as T;
}

function rewriteText(text: string, root: string): string {
  if (!text.includes(root)) return text;
  // The root followed by a separator starts a path inside it; the root alone (at a word end) is ".".
  return text
    .split(`${root}${path.sep}`)
    .join("")
    .replace(new RegExp(`${escapeRegExp(root)}(?![\\w.-])`, "g"), ".");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
