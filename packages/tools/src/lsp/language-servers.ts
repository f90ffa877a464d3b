import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

export type LspLanguage = "typescript" | "python" | "go" | "rust" | "c";

/** A command that starts a language server speaking LSP over stdio. */
export interface ServerCommand {
  command: string;
  args: string[];
}

interface ServerCandidate extends ServerCommand {
  /** How to install it, quoted in the "no server" error. */
  install: string;
}

export interface LanguageSpec {
  language: LspLanguage;
  /** Extension (with dot, lower case) → LSP languageId. */
  languageIds: Record<string, string>;
  /** Files that mark a project root. */
  rootMarkers: string[];
  /** Tried in order; the first installed one is used. */
  servers: ServerCandidate[];
  initializationOptions?(root: string): Record<string, unknown> | undefined;
}

/**
 * typescript-language-server options. The project's own TypeScript wins; ours is the fallback. The
 * syntax-only server is disabled: while the project loads it answers definitions from the current file
 * only (an import line instead of the real declaration), and a wrong answer is worse than a slow one.
 */
function tsserverOptions(): Record<string, unknown> {
  const tsserver: Record<string, unknown> = { useSyntaxServer: "never" };
  try {
    tsserver.fallbackPath = createRequire(import.meta.url).resolve("typescript/lib/tsserver.js");
  } catch {
    // No bundled TypeScript: the server uses the workspace's.
  }
  return { tsserver };
}

export const LANGUAGES: LanguageSpec[] = [
  {
    language: "typescript",
    languageIds: {
      ".ts": "typescript",
      ".mts": "typescript",
      ".cts": "typescript",
      ".tsx": "typescriptreact",
      ".js": "javascript",
      ".mjs": "javascript",
      ".cjs": "javascript",
      ".jsx": "javascriptreact",
    },
    rootMarkers: ["tsconfig.json", "jsconfig.json", "package.json"],
    servers: [
      {
        command: "typescript-language-server",
        args: ["--stdio"],
        install: "npm install -g typescript-language-server typescript",
      },
    ],
    initializationOptions: tsserverOptions,
  },
  {
    language: "python",
    languageIds: { ".py": "python", ".pyi": "python" },
    rootMarkers: ["pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "pyrightconfig.json"],
    servers: [
      { command: "pyright-langserver", args: ["--stdio"], install: "npm install -g pyright" },
      { command: "pylsp", args: [], install: "pip install python-lsp-server" },
    ],
  },
  {
    language: "go",
    languageIds: { ".go": "go" },
    rootMarkers: ["go.work", "go.mod"],
    servers: [{ command: "gopls", args: [], install: "go install golang.org/x/tools/gopls@latest" }],
  },
  {
    language: "rust",
    languageIds: { ".rs": "rust" },
    rootMarkers: ["Cargo.toml"],
    servers: [{ command: "rust-analyzer", args: [], install: "rustup component add rust-analyzer" }],
  },
  {
    language: "c",
    languageIds: {
      ".c": "c",
      ".h": "c",
      ".cc": "cpp",
      ".cpp": "cpp",
      ".cxx": "cpp",
      ".hpp": "cpp",
      ".hh": "cpp",
      ".hxx": "cpp",
    },
    rootMarkers: ["compile_commands.json", "compile_flags.txt", ".clangd", "CMakeLists.txt"],
    servers: [
      { command: "clangd", args: [], install: "apt-get install clangd (or your OS package manager)" },
    ],
  },
];

export function languageFor(filePath: string): { spec: LanguageSpec; languageId: string } | undefined {
  const ext = path.extname(filePath).toLowerCase();
  for (const spec of LANGUAGES) {
    const languageId = spec.languageIds[ext];
    if (languageId) return { spec, languageId };
  }
  return undefined;
}

export function supportedExtensions(): string[] {
  return LANGUAGES.flatMap((spec) => Object.keys(spec.languageIds));
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** `node_modules/.bin` of `root` and its ancestors (project-local servers), then PATH, then extra dirs. */
export function searchDirs(root: string, extraBinDirs: string[] = []): string[] {
  const dirs: string[] = [];
  for (let dir = root; ; dir = path.dirname(dir)) {
    dirs.push(path.join(dir, "node_modules", ".bin"));
    if (path.dirname(dir) === dir) break;
  }
  dirs.push(
    ...(process.env.PATH ?? "").split(path.delimiter).filter((d) => path.isAbsolute(d)),
    ...extraBinDirs,
  );
  return dirs;
}

export async function findExecutable(command: string, dirs: string[]): Promise<string | undefined> {
  if (path.isAbsolute(command)) return (await isExecutable(command)) ? command : undefined;
  for (const dir of dirs) {
    const candidate = path.join(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The installed server for a language, or an error message that says what to install. */
export async function resolveServer(
  spec: LanguageSpec,
  root: string,
  options: { override?: ServerCommand; extraBinDirs?: string[] },
): Promise<ServerCommand | { error: string }> {
  const dirs = searchDirs(root, options.extraBinDirs);
  const candidates = options.override ? [{ ...options.override, install: "" }] : spec.servers;
  for (const candidate of candidates) {
    const found = await findExecutable(candidate.command, dirs);
    if (found) return { command: found, args: candidate.args };
  }
  if (options.override) {
    return {
      error: `The configured ${spec.language} language server "${options.override.command}" was not found.`,
    };
  }
  const names = spec.servers.map((s) => `${s.command} (${s.install})`).join(" or ");
  return {
    error: `No ${spec.language} language server is installed. Install ${names}, make sure it is on PATH, then retry.`,
  };
}

/** The outermost directory between the file and the workspace root that holds a root marker. */
export async function projectRoot(
  filePath: string,
  workspaceRoot: string,
  markers: string[],
): Promise<string> {
  const rel = path.relative(workspaceRoot, filePath);
  const inside = rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
  if (!inside) return path.dirname(filePath);
  let found: string | undefined;
  for (let dir = path.dirname(filePath); ; dir = path.dirname(dir)) {
    for (const marker of markers) {
      if (
        await fs
          .access(path.join(dir, marker))
          .then(() => true)
          .catch(() => false)
      ) {
        found = dir;
        break;
      }
    }
    if (dir === workspaceRoot || path.dirname(dir) === dir) break;
  }
  return found ?? workspaceRoot;
}
