/** A front-matter value: a string, a list of strings (`[a, b]` or `- a` lines) or a flat map (indented `k: v`). */
export type FrontMatterValue = string | string[] | Record<string, string>;

const unquote = (v: string) => v.trim().replace(/^(["'])(.*)\1$/, "$2");

function inlineList(value: string): string[] | undefined {
  const m = value.match(/^\[(.*)\]$/);
  if (!m) return undefined;
  return (m[1] ?? "")
    .split(",")
    .map(unquote)
    .filter((v) => v.length > 0);
}

/**
 * Splits `---` front matter from a Markdown body. Supports the YAML subset custom commands and agents use:
 * `key: value`, `key: [a, b]`, a `key:` followed by `- item` lines, and a `key:` followed by indented
 * `name: value` lines. Returns undefined when the text has no front matter; throws on a line it cannot read.
 */
export function parseFrontMatter(
  text: string,
): { data: Record<string, FrontMatterValue>; body: string } | undefined {
  const m = text.replace(/^\uFEFF/, "").match(/^---\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)([\s\S]*)$/);
  if (!m) return undefined;
  const data: Record<string, FrontMatterValue> = {};
  let open: string | undefined;
  const lines = (m[1] ?? "").split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith("#")) return;
    const item = line.match(/^\s+-\s*(.*)$/);
    const nested = line.match(/^\s+("[^"]+"|'[^']+'|[^:]+):\s*(.*)$/);
    const top = line.match(/^([A-Za-z0-9_-]+):\s*(.*)$/);
    if (top) {
      const [, key = "", value = ""] = top;
      open = value.trim() ? undefined : key;
      data[key] = value.trim() ? (inlineList(value.trim()) ?? unquote(value)) : "";
    } else if (open && item) {
      const list = data[open];
      data[open] = [...(Array.isArray(list) ? list : []), unquote(item[1] ?? "")];
    } else if (open && nested) {
      const map = data[open];
      data[open] = {
        ...(typeof map === "object" && !Array.isArray(map) ? map : {}),
        [unquote(nested[1] ?? "")]: unquote(nested[2] ?? ""),
      };
    } else {
      throw new Error(`front matter line ${i + 2} is not "key: value": ${JSON.stringify(line.slice(0, 80))}`);
    }
  });
  return { data, body: m[2] ?? "" };
}
