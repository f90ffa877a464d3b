import fs from "node:fs";
import path from "node:path";
import { findGitRoot } from "../agent/agents-md.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { dataDir } from "../util/xdg-paths.js";
import { ConfigError } from "./config-error.js";
import { approvalKey, collectProjectConfigFiles, configHash } from "./project-config-files.js";

type Env = Record<string, string | undefined>;

/** What the user decided for a folder: `trusted` lets its config loosen security; `untrusted` stops the prompt. */
export type TrustDecision = "trusted" | "untrusted";

export interface TrustEntry {
  /** The folder's real path (symlinks resolved), the key of the store. */
  folder: string;
  decision: TrustDecision;
  /** ISO time of the decision. */
  at: string;
  /**
   * Trusted only: the project config files the decision approved (see `project-config-files.ts`), key → sha256.
   * A file missing here or with another hash counts as untrusted. Absent in entries written before codetether
   * recorded contents: those approve no file, so the user is warned (and the TUI asks) until they trust again.
   */
  files?: Record<string, string>;
  /** False when `codetether trust` stopped searching a huge tree: configs it did not reach are not approved. */
  complete?: boolean;
}

type StoredEntry = Omit<TrustEntry, "folder">;

/** Still version 1: `files`/`complete` are optional additions, so an older codetether reads the file unchanged. */
interface StoreFile {
  version: 1;
  folders: Record<string, StoredEntry>;
}

/** `<dataDir>/trusted-folders.json`: in the user's data dir, never in a project a repository could ship. */
export function trustStoreFile(env: Env = process.env): string {
  return path.join(dataDir(env), "trusted-folders.json");
}

function readStore(file: string): StoreFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, folders: {} };
    throw new ConfigError(`Cannot read the trusted-folders file ${file}: ${(err as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as StoreFile;
    if (parsed?.version !== 1 || typeof parsed.folders !== "object" || parsed.folders === null)
      throw new Error("unexpected shape");
    for (const entry of Object.values(parsed.folders)) {
      if (entry?.decision !== "trusted" && entry?.decision !== "untrusted")
        throw new Error("unexpected decision");
      if (
        entry.files !== undefined &&
        (typeof entry.files !== "object" ||
          entry.files === null ||
          Object.values(entry.files).some((h) => typeof h !== "string"))
      )
        throw new Error("unexpected file list");
    }
    return parsed;
  } catch (err) {
    throw new ConfigError(
      `The trusted-folders file ${file} is damaged (${(err as Error).message}). ` +
        "Delete it and trust your folders again with: codetether trust <dir>",
    );
  }
}

/** Every decision, folders sorted. */
export function listTrustDecisions(env: Env = process.env): TrustEntry[] {
  const store = readStore(trustStoreFile(env));
  return Object.entries(store.folders)
    .map(([folder, e]) => ({ folder, ...e }))
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

/** The real path of an existing directory, or a ConfigError saying it does not exist. */
export function realFolder(dir: string): string {
  let real: string;
  try {
    real = fs.realpathSync.native(path.resolve(dir));
  } catch {
    throw new ConfigError(`${path.resolve(dir)}: no such directory.`);
  }
  if (!fs.statSync(real).isDirectory()) throw new ConfigError(`${real} is not a directory.`);
  return real;
}

/**
 * The folder whose trust governs `cwd`: the directory of the nearest `codetether.toml` (what would be loaded),
 * else the git root, else `cwd` itself. Real path.
 */
export function projectFolder(cwd: string, projectFile?: string): string {
  if (projectFile) return realFolder(path.dirname(projectFile));
  return realFolder(findGitRoot(cwd) ?? cwd);
}

/**
 * The decision that applies to `folder` (a real path): its own, else the nearest ancestor's, so trusting a
 * parent trusts what is below it unless a folder below was explicitly left untrusted.
 */
export function folderTrust(folder: string, env: Env = process.env): TrustEntry | undefined {
  return nearestDecision(readStore(trustStoreFile(env)), folder);
}

function nearestDecision(store: StoreFile, folder: string): TrustEntry | undefined {
  let dir = folder;
  for (;;) {
    const entry = Object.hasOwn(store.folders, dir) ? store.folders[dir] : undefined;
    if (entry) return { folder: dir, ...entry };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Whether a trusted decision approved `file` with this text: `approved`, or why not — `new` (not there when the
 * folder was trusted), `changed` (edited since), `unrecorded` (trusted before codetether recorded contents).
 */
export type FileApproval = "approved" | "new" | "changed" | "unrecorded";

export function fileApproval(entry: TrustEntry, file: string, text: string): FileApproval {
  if (!entry.files) return "unrecorded";
  const key = approvalKey(file);
  const recorded = Object.hasOwn(entry.files, key) ? entry.files[key] : undefined;
  if (recorded === undefined) return "new";
  return recorded === configHash(text) ? "approved" : "changed";
}

/** "May this project file (with this text) use what only trusted config may?" */
export type FileTrustCheck = (file: string, text: string) => boolean;

/**
 * Answers "may this project file use what only trusted config may?" for many files against one read of the store:
 * the nearest decision at or above the file's folder must be `trusted` and must have approved this exact content.
 */
export function trustedFileCheck(env: Env = process.env): FileTrustCheck {
  let store: StoreFile | undefined;
  return (file, text) => {
    store ??= readStore(trustStoreFile(env));
    const entry = nearestDecision(store, path.dirname(approvalKey(file)));
    return entry?.decision === "trusted" && fileApproval(entry, file, text) === "approved";
  };
}

const LOCK_STALE_MS = 10_000;
const LOCK_TRIES = 100;

/** A cross-process lock (O_EXCL lock file) so two `codetether trust` at once never lose a decision. */
async function withStoreLock<T>(file: string, run: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let i = 0; ; i++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx", mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS)
        fs.rmSync(lock, { force: true }); // left by a killed process
      else if (i >= LOCK_TRIES)
        throw new ConfigError(
          `${lock} is held by another codetether process; try again, or delete it if none runs.`,
        );
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await run();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/**
 * Records a decision for `dir` (resolved to its real path); returns the entry written. Trusting approves the
 * project config files in the folder and below as they are now (their hashes are recorded): one the agent adds or
 * changes later is untrusted until the user trusts again.
 */
export async function setFolderTrust(
  dir: string,
  decision: TrustDecision,
  env: Env = process.env,
): Promise<TrustEntry> {
  const folder = realFolder(dir);
  const file = trustStoreFile(env);
  const at = new Date().toISOString();
  const entry: StoredEntry = { decision, at };
  if (decision === "trusted") {
    const found = collectProjectConfigFiles(folder);
    entry.files = found.files;
    if (!found.complete) entry.complete = false;
  }
  await withStoreLock(file, async () => {
    const store = readStore(file);
    store.folders[folder] = entry;
    await writeFileAtomic(file, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
  });
  return { folder, ...entry };
}
