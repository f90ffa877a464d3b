import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isInsideAny } from "@codetether/core";
import type {
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  LocationLink,
  MarkedString,
  MarkupContent,
  SymbolInformation,
  WorkspaceSymbol,
} from "vscode-languageserver-protocol";

const SYMBOL_KINDS = [
  "",
  "file",
  "module",
  "namespace",
  "package",
  "class",
  "method",
  "property",
  "field",
  "constructor",
  "enum",
  "interface",
  "function",
  "variable",
  "constant",
  "string",
  "number",
  "boolean",
  "array",
  "object",
  "key",
  "null",
  "enum member",
  "struct",
  "event",
  "operator",
  "type parameter",
];
const COMPLETION_KINDS = [
  "",
  "text",
  "method",
  "function",
  "constructor",
  "field",
  "variable",
  "class",
  "interface",
  "module",
  "property",
  "unit",
  "value",
  "enum",
  "keyword",
  "snippet",
  "color",
  "file",
  "reference",
  "folder",
  "enum member",
  "constant",
  "struct",
  "event",
  "operator",
  "type parameter",
];
const SEVERITIES = ["", "error", "warning", "info", "hint"];

/** Renders file URIs relative to the workspace and quotes source lines; all positions 1-based. */
export class LocationFormatter {
  private readonly lines = new Map<string, string[] | undefined>();

  /**
   * @param roots where quoted lines may be read from (the workspace and `permissions.allowed_paths`): a language
   *   server the model planted can name any location, and this runs outside the sandbox.
   */
  constructor(
    private readonly workspaceRoot: string,
    private readonly openText: (file: string) => string | undefined,
    private readonly roots: readonly string[] = [workspaceRoot],
  ) {}

  displayPath(uri: string): string {
    if (!uri.startsWith("file:")) return uri;
    const file = fileURLToPath(uri);
    const rel = path.relative(this.workspaceRoot, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
  }

  private lineText(uri: string, line: number): string | undefined {
    if (!uri.startsWith("file:")) return undefined;
    if (!this.lines.has(uri)) {
      const file = fileURLToPath(uri);
      const text = this.openText(file) ?? readInside(file, this.roots);
      this.lines.set(uri, text?.split(/\r?\n/));
    }
    return this.lines.get(uri)?.[line];
  }

  location(loc: Location | LocationLink): string {
    const uri = "targetUri" in loc ? loc.targetUri : loc.uri;
    const range = "targetUri" in loc ? loc.targetSelectionRange : loc.range;
    const where = `${this.displayPath(uri)}:${range.start.line + 1}:${range.start.character + 1}`;
    const text = this.lineText(uri, range.start.line)?.trim();
    return text ? `${where}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}` : where;
  }

  locations(result: Location | Location[] | LocationLink[] | null, what: string): string {
    const list = result === null ? [] : Array.isArray(result) ? result : [result];
    if (list.length === 0) return `No ${what} found.`;
    const shown = list.slice(0, 200).map((loc) => this.location(loc));
    const more = list.length > shown.length ? `\n… and ${list.length - shown.length} more` : "";
    return `${list.length} ${what}${list.length === 1 ? "" : "s"}:\n${shown.join("\n")}${more}`;
  }

  diagnostics(file: string, items: Diagnostic[]): string {
    const shown = this.displayPath(pathToFileURL(file).href);
    if (items.length === 0) return `No diagnostics in ${shown}.`;
    const lines = items.map((d) => {
      const severity = SEVERITIES[d.severity ?? 1] ?? "error";
      const code =
        d.code !== undefined ? ` ${d.source ?? ""}${d.source ? "(" : ""}${d.code}${d.source ? ")" : ""}` : "";
      return `${shown}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity}${code}: ${d.message}`;
    });
    return `${items.length} diagnostic${items.length === 1 ? "" : "s"}:\n${lines.join("\n")}`;
  }

  symbols(result: DocumentSymbol[] | SymbolInformation[] | WorkspaceSymbol[] | null, empty: string): string {
    if (!result || result.length === 0) return empty;
    const out: string[] = [];
    const walk = (symbol: DocumentSymbol, depth: number) => {
      out.push(
        `${"  ".repeat(depth)}${SYMBOL_KINDS[symbol.kind] ?? "symbol"} ${symbol.name}` +
          `${symbol.detail ? ` ${symbol.detail}` : ""} (line ${symbol.selectionRange.start.line + 1})`,
      );
      for (const child of symbol.children ?? []) walk(child, depth + 1);
    };
    for (const symbol of result.slice(0, 300)) {
      if ("selectionRange" in symbol) walk(symbol, 0);
      else {
        const loc =
          "range" in symbol.location
            ? this.location(symbol.location).split(": ")[0]
            : this.displayPath(symbol.location.uri);
        const container = symbol.containerName ? ` in ${symbol.containerName}` : "";
        out.push(`${SYMBOL_KINDS[symbol.kind] ?? "symbol"} ${symbol.name}${container} — ${loc}`);
      }
    }
    return out.join("\n");
  }
}

export function formatHover(hover: Hover | null): string {
  if (!hover) return "No hover information at this position.";
  const part = (c: MarkupContent | MarkedString): string =>
    typeof c === "string" ? c : "kind" in c ? c.value : `\`\`\`${c.language}\n${c.value}\n\`\`\``;
  const contents = Array.isArray(hover.contents) ? hover.contents.map(part) : [part(hover.contents)];
  const text = contents.filter((t) => t.trim()).join("\n\n");
  return text || "No hover information at this position.";
}

export function formatCompletion(result: CompletionItem[] | CompletionList | null, limit = 50): string {
  const items = result === null ? [] : Array.isArray(result) ? result : result.items;
  if (items.length === 0) return "No completions at this position.";
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  const lines = sorted.slice(0, limit).map((item) => {
    const kind = item.kind ? ` (${COMPLETION_KINDS[item.kind] ?? "item"})` : "";
    return `${item.label}${kind}${item.detail ? ` — ${item.detail}` : ""}`;
  });
  const more = items.length > limit ? `\n… ${items.length - limit} more` : "";
  return `${items.length} completion${items.length === 1 ? "" : "s"}:\n${lines.join("\n")}${more}`;
}

/** Source files only: a location in anything larger is named, not quoted. */
const MAX_QUOTED_FILE = 5 * 1024 * 1024;

/**
 * The text of `file` when the descriptor opened for it is a regular file (O_NONBLOCK: a FIFO does not block) whose
 * real path is inside `roots` (a symlink out of them is not followed), else undefined.
 */
function readInside(file: string, roots: readonly string[]): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_QUOTED_FILE) return undefined;
    const real = fs.existsSync("/proc/self/fd")
      ? fs.readlinkSync(`/proc/self/fd/${fd}`)
      : fs.realpathSync(file);
    const realRoots = roots.map((r) => {
      try {
        return fs.realpathSync(r);
      } catch {
        return r;
      }
    });
    return isInsideAny(realRoots, real) ? fs.readFileSync(fd, "utf8") : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
