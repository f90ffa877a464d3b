import fs from "node:fs";
import path from "node:path";
import type { ThemeName } from "./theme.js";

/**
 * Calls `onChange` when `[ui] theme` changes in any of `files`. Watches the directories (config files
 * are replaced atomically by rename, which a file watch would miss) and re-reads through `readTheme`.
 * Missing directories are skipped. Returns a function that stops watching.
 */
export function watchThemeConfig(
  files: string[],
  readTheme: () => ThemeName | undefined,
  onChange: (name: ThemeName) => void,
): () => void {
  const safeRead = (): ThemeName | undefined => {
    try {
      return readTheme();
    } catch {
      return undefined; // a half-written or invalid config keeps the current theme
    }
  };
  let current = safeRead();
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const recheck = () => {
    clearTimeout(timer);
    // Editors write in several steps; settle before reading.
    timer = setTimeout(() => {
      const next = safeRead();
      if (next && next !== current) {
        current = next;
        onChange(next);
      }
    }, 50);
  };
  const dirs = new Map<string, Set<string>>();
  for (const file of files) {
    const dir = path.dirname(file);
    if (!dirs.has(dir)) dirs.set(dir, new Set());
    dirs.get(dir)?.add(path.basename(file));
  }
  for (const [dir, names] of dirs) {
    try {
      const watcher = fs.watch(dir, (_event, name) => {
        if (!name || names.has(name.toString())) recheck();
      });
      watcher.on("error", () => watcher.close());
      watchers.push(watcher);
    } catch {
      // the directory does not exist (yet): nothing to watch there
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
