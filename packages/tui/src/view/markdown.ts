import wrapAnsi from "wrap-ansi";
import type { Theme } from "../theme.js";
import { highlightCode } from "./highlight.js";

/** Inline markdown: `code`, **bold**, *italic*, [links](url). */
function inline(text: string, theme: Theme): string {
  return text
    .replace(/`([^`]+)`/g, (_m, code: string) => theme.accent(code))
    .replace(/\*\*([^*]+)\*\*/g, (_m, s: string) => theme.bold(s))
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, (_m, pre: string, s: string) => pre + theme.italic(s))
    .replace(
      /\[([^\]]+)\]\(([^)]+)\)/g,
      (_m, label: string, url: string) => `${label} ${theme.muted(`(${url})`)}`,
    );
}

function wrap(line: string, width: number): string[] {
  return wrapAnsi(line, Math.max(10, width), { hard: true, trim: false }).split("\n");
}

/**
 * Renders markdown to terminal lines: headings, lists, quotes, rules, and fenced code blocks with
 * syntax highlighting. An unclosed fence (mid-stream) is rendered as code up to the end.
 */
export function renderMarkdown(text: string, theme: Theme, width: number): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const fence = /^\s*(```|~~~)\s*([\w+#.-]*)/.exec(line);
    if (fence) {
      const marker = fence[1] ?? "```";
      const lang = fence[2] || undefined;
      const code: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? "").trim().startsWith(marker)) code.push(lines[i++] ?? "");
      i++;
      out.push(theme.muted(`╭─ ${lang ?? "code"}`));
      const highlighted = highlightCode(code.join("\n"), lang, theme.color).split("\n");
      for (const h of highlighted) for (const w of wrap(h, width - 2)) out.push(`${theme.muted("│")} ${w}`);
      out.push(theme.muted("╰─"));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) out.push(...wrap(theme.bold(theme.accent(heading[2] ?? "")), width));
    else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) out.push(theme.muted("─".repeat(Math.min(width, 40))));
    else if (/^\s*>\s?/.test(line))
      for (const w of wrap(inline(line.replace(/^\s*>\s?/, ""), theme), width - 2))
        out.push(`${theme.muted("▌")} ${theme.italic(w)}`);
    else {
      const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
      const text2 = bullet ? `${bullet[1] ?? ""}• ${bullet[2] ?? ""}` : line;
      out.push(...wrap(inline(text2, theme), width));
    }
    i++;
  }
  return out;
}
