import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cacheDir, configDir, dataDir } from "@codetether/core";

type Env = Record<string, string | undefined>;

/**
 * Credentials a home directory commonly holds. Hidden even when the user made all of $HOME visible (a workspace
 * that is $HOME itself, or `readable_paths = ["~"]`); a directory gets an empty tmpfs, a file /dev/null.
 */
const HOME_SECRETS = [
  ".ssh",
  ".gnupg",
  ".aws",
  ".azure",
  ".kube",
  ".docker",
  ".netrc",
  ".npmrc",
  ".pypirc",
  ".git-credentials",
  ".config/gh",
  ".config/gcloud",
  ".password-store",
];

export interface HomeView {
  /** bwrap arguments that hide homes before the workspace binds. */
  before: string[];
  /** bwrap arguments after the binds: codetether's own dirs and credentials within visible paths. */
  after: string[];
  /** The hidden home directories (to keep a cwd inside them visible only when it is a bound path). */
  homes: string[];
  /** codetether's config, data and cache directories, hidden from every sandboxed command. */
  codetetherDirs: string[];
}

/**
 * What of the user's own files a sandboxed command sees: `$HOME` is an empty tmpfs (only the workspace and the
 * policy's `readable_paths` come back), codetether's config/data/cache dirs (config, secret store, sessions,
 * audit log) are never visible, and well-known credential files stay hidden inside anything made visible again.
 */
export function homeView(
  env: Env,
  paths: { writable: readonly string[]; readable: readonly string[] },
): HomeView {
  const visible = [...paths.writable, ...paths.readable];
  const homes = unique([env.HOME, safeHomedir()].flatMap((h) => (h ? [real(h)] : [])))
    .filter((h) => h !== "/" && isDir(h))
    .filter((h) => !isUnder("/tmp", h)); // already a private tmpfs
  const codetetherDirs = unique([configDir(env), dataDir(env), cacheDir(env)].map(real)).filter(isDir);
  const before = homes.flatMap((h) => ["--tmpfs", h]);
  const after: string[] = [];
  for (const dir of codetetherDirs) {
    // Hidden after the binds, so a workspace that contains it cannot bring it back; a workspace inside it
    // (a worktree kept in the data dir) is bound again on top.
    after.push("--tmpfs", dir);
    for (const p of paths.readable) if (isUnder(p, dir) && p !== dir) after.push("--ro-bind", p, p);
    for (const p of paths.writable) if (isUnder(p, dir) && p !== dir) after.push("--bind", p, p);
  }
  for (const home of homes) {
    if (!visible.some((p) => isUnder(home, p))) continue;
    for (const name of HOME_SECRETS) {
      const p = path.join(home, name);
      const stat = lstat(p);
      if (!stat) continue;
      if (stat.isDirectory()) after.push("--tmpfs", p);
      else after.push("--ro-bind", "/dev/null", p);
    }
  }
  return { before, after, homes, codetetherDirs };
}

/** True when `child` is `parent` or inside it. */
export function isUnder(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith("/") ? parent : `${parent}/`);
}

function real(p: string): string {
  const resolved = path.resolve(p);
  try {
    return fs.realpathSync(resolved);
  } catch {
    return resolved;
  }
}

function safeHomedir(): string | undefined {
  try {
    return os.userInfo().homedir;
  } catch {
    return undefined;
  }
}

const unique = (items: string[]) => [...new Set(items)];

function isDir(p: string): boolean {
  return lstat(p)?.isDirectory() ?? false;
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}
