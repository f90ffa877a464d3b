import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// The project files whose content a trust decision approves: what the loaders read from a folder and what only a
// trusted folder may use — `codetether.toml` (sandbox, permissions, hooks, MCP servers, providers...) and the
// custom agents and commands in `.codetether/agents|commands/*.md` (their `model`). Skills carry no policy.

/** The kinds of definitions under `.codetether/` whose content trust approves. */
export const TRUSTED_DEFINITION_KINDS = ["agents", "commands"] as const;

/** sha256 (hex) of a config file's text: what a trust decision records and a load compares. */
export function configHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The key a decision stores a file under: its directory's real path plus its name (as the loaders find it). */
export function approvalKey(file: string): string {
  const dir = path.dirname(path.resolve(file));
  let real = dir;
  try {
    real = fs.realpathSync.native(dir);
  } catch {
    // a directory that vanished: the key cannot match a recorded one, which is the safe answer
  }
  return path.join(real, path.basename(file));
}

/** Folders never searched when trust is granted: dependencies and git internals hold no project config of yours. */
const SKIPPED = new Set([".git", "node_modules"]);
/** Bounds the walk at `codetether trust` (never on the start path) in a huge tree. */
export const MAX_TRUST_WALK_DIRS = 20_000;

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined; // unreadable or not a file: nothing to approve
  }
}

function entries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

export interface ProjectConfigFiles {
  /** Key (see {@link approvalKey}) → sha256 of every project config file found. */
  files: Record<string, string>;
  /** False when the walk stopped at {@link MAX_TRUST_WALK_DIRS} folders: deeper configs were not approved. */
  complete: boolean;
}

/**
 * Every project config file in `folder` (a real path) and the folders below it, hashed: what `codetether trust`
 * approves. Symlinked folders are not followed (their configs count as not approved, the safe side).
 */
export function collectProjectConfigFiles(folder: string): ProjectConfigFiles {
  const files: Record<string, string> = {};
  const queue = [folder];
  let visited = 0;
  while (queue.length) {
    if (visited++ >= MAX_TRUST_WALK_DIRS) return { files, complete: false };
    const dir = queue.shift() as string;
    for (const entry of entries(dir)) {
      const full = path.join(dir, entry.name);
      if (entry.name === "codetether.toml" && !entry.isDirectory()) {
        const text = readText(full);
        if (text !== undefined) files[full] = configHash(text);
      } else if (entry.name === ".codetether" && entry.isDirectory()) {
        for (const kind of TRUSTED_DEFINITION_KINDS) {
          const defs = path.join(full, kind);
          for (const def of entries(defs)) {
            if (!def.name.endsWith(".md") || def.isDirectory()) continue;
            const text = readText(path.join(defs, def.name));
            if (text !== undefined) files[path.join(defs, def.name)] = configHash(text);
          }
        }
      } else if (entry.isDirectory() && !SKIPPED.has(entry.name)) queue.push(full);
    }
  }
  return { files, complete: true };
}
