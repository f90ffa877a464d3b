import { constants, existsSync } from "node:fs";
import fs, { type FileHandle } from "node:fs/promises";
import path from "node:path";
import { isInsideAny, realpathLoose } from "../permission/workspace-confinement.js";
import { tempNameFor } from "./temp-files.js";

/** Where a file operation may go, and a last check of the real path it resolved to. */
export interface ConfinementPolicy {
  /** Directories the operation must stay inside: the workspace and configured extra roots. */
  roots: string[];
  /** Called with the real path about to be read or changed; a returned message refuses the operation. */
  check?: (realPath: string) => string | undefined;
}

/** A refused file operation (outside the roots, denied by `check`, or a symlink swapped in meanwhile). */
export class ConfinementError extends Error {
  override name = "ConfinementError";
}

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = constants;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

let procFd: boolean | undefined;
/**
 * Linux's `/proc/self/fd/N` names exactly the opened file or directory: `/proc/self/fd/N/name` acts like
 * `openat(N, name)`, so paths below a verified directory handle can no longer be redirected by a symlink.
 */
function hasProcFd(): boolean {
  procFd ??= existsSync("/proc/self/fd");
  return procFd;
}

/** The real path of an opened descriptor (not of the path it was opened by). */
async function realPathOf(handle: FileHandle, openedAs: string): Promise<string> {
  if (!hasProcFd()) return fs.realpath(openedAs);
  const link = await fs.readlink(`/proc/self/fd/${handle.fd}`);
  if (!path.isAbsolute(link) || link.endsWith(" (deleted)"))
    throw new ConfinementError(`${openedAs} was removed while it was being opened; nothing was changed.`);
  return link;
}

function assertInside(roots: string[], real: string, requested: string): void {
  if (isInsideAny(roots, real)) return;
  throw new ConfinementError(
    `Path outside the workspace (${roots[0]}): ${requested} resolves to ${real}. File tools are confined to ` +
      "the workspace; list extra directories in permissions.allowed_paths of your user config to permit them.",
  );
}

function refuse(policy: ConfinementPolicy, real: string): void {
  const reason = policy.check?.(real);
  if (reason) throw new ConfinementError(reason);
}

interface OpenedDir {
  handle: FileHandle;
  real: string;
  /** A path that reaches `name` inside exactly this directory. */
  at(name: string): string;
}

function opened(handle: FileHandle, real: string): OpenedDir {
  return {
    handle,
    real,
    at: (name) => (hasProcFd() ? `/proc/self/fd/${handle.fd}/${name}` : path.join(real, name)),
  };
}

/**
 * Opens `dir` (creating missing components when `create`), verifying after each open that the descriptor's
 * real path is inside the roots. Missing components are created and opened below the verified handle with
 * O_NOFOLLOW, so a symlink planted meanwhile makes the open fail instead of leading outside.
 */
async function openDir(dir: string, policy: ConfinementPolicy, create: boolean): Promise<OpenedDir> {
  const target = path.resolve(dir);
  let existing = target;
  const missing: string[] = [];
  for (;;) {
    try {
      await fs.stat(existing);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = path.dirname(existing);
      if (!create || (code !== "ENOENT" && code !== "ENOTDIR") || parent === existing) throw err;
      missing.unshift(path.basename(existing));
      existing = parent;
    }
  }
  let dirHandle = await fs.open(existing, O_RDONLY | O_DIRECTORY);
  try {
    let real = await realPathOf(dirHandle, existing);
    assertInside(policy.roots, real, target);
    for (const name of missing) {
      const child = opened(dirHandle, real).at(name);
      await fs.mkdir(child).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "EEXIST") throw err;
      });
      const next = await fs
        .open(child, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        .catch((err: NodeJS.ErrnoException) => {
          if (err.code === "ELOOP" || err.code === "ENOTDIR")
            throw new ConfinementError(
              `${path.join(real, name)} was replaced by a symlink or file while ${target} was being created; nothing was written.`,
            );
          throw err;
        });
      await dirHandle.close();
      dirHandle = next;
      real = await realPathOf(dirHandle, path.join(real, name));
      assertInside(policy.roots, real, target);
    }
    return opened(dirHandle, real);
  } catch (err) {
    await dirHandle.close().catch(() => {});
    throw err;
  }
}

/** A symlink as the last component is written through (a link stays a link); its destination is confined too. */
async function followFinalLink(file: string): Promise<string> {
  const abs = path.resolve(file);
  const isLink = await fs.lstat(abs).then(
    (st) => st.isSymbolicLink(),
    () => false,
  );
  return isLink ? realpathLoose(abs) : abs;
}

export interface ConfinedWriteOptions {
  /** File mode for a new file (default: the existing file's mode, else 0o644). */
  mode?: number;
  /** fsync the file and its directory (default true). */
  fsync?: boolean;
  /** Told the directory before a temp file is created there, so a crash's leftover can be swept later. */
  journal?: { note(realDir: string): Promise<void> };
}

/**
 * Writes `file` atomically (temp file + rename inside the verified directory) without leaving the roots,
 * even when a symlink is swapped in concurrently. Returns the real path written.
 */
export async function writeFileConfined(
  file: string,
  data: string | Uint8Array,
  policy: ConfinementPolicy,
  options: ConfinedWriteOptions = {},
): Promise<string> {
  const target = await followFinalLink(file);
  const dir = await openDir(path.dirname(target), policy, true);
  try {
    const name = path.basename(target);
    const real = path.join(dir.real, name);
    refuse(policy, real);
    let mode = options.mode;
    if (mode === undefined) {
      const st = await fs.lstat(dir.at(name)).catch(() => undefined);
      if (st?.isDirectory()) throw new ConfinementError(`${real} is a directory; nothing was written.`);
      mode = st?.isFile() ? st.mode & 0o777 : 0o644;
    }
    await options.journal?.note(dir.real);
    const tmp = tempNameFor(name);
    const handle = await fs.open(dir.at(tmp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
    try {
      await handle.writeFile(data);
      if (options.fsync !== false) await handle.sync();
      await handle.close();
      // rename never follows a symlink at the destination: at worst it replaces a link planted meanwhile.
      await fs.rename(dir.at(tmp), dir.at(name));
    } catch (err) {
      await handle.close().catch(() => {});
      await fs.rm(dir.at(tmp), { force: true });
      throw err;
    }
    if (options.fsync !== false) await dir.handle.sync().catch(() => {});
    return real;
  } finally {
    await dir.handle.close();
  }
}

/**
 * A confined open for reading: the descriptor's real path must be inside the roots and pass `check`, and it must
 * be a regular file (a FIFO or device planted under the name is refused, without hanging). Read through the
 * returned handle only — reopening the path could meet a symlink swapped in meanwhile — and close it.
 */
export async function openFileConfined(
  file: string,
  policy: ConfinementPolicy,
): Promise<{ handle: FileHandle; real: string; mode: number; size: number }> {
  // O_NONBLOCK: opening a FIFO planted under the name must not hang the tool.
  const handle = await fs.open(path.resolve(file), O_RDONLY | O_NONBLOCK);
  try {
    const real = await realPathOf(handle, path.resolve(file));
    assertInside(policy.roots, real, path.resolve(file));
    refuse(policy, real);
    const st = await handle.stat();
    if (!st.isFile()) throw new ConfinementError(`${real} is not a regular file.`);
    return { handle, real, mode: st.mode & 0o777, size: st.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** A confined read: the opened descriptor's real path must be inside the roots and pass `check`. */
export async function readFileConfined(
  file: string,
  policy: ConfinementPolicy,
): Promise<{ data: Buffer; real: string; mode: number }> {
  const { handle, real, mode } = await openFileConfined(file, policy);
  try {
    return { data: await handle.readFile(), real, mode };
  } finally {
    await handle.close();
  }
}

/** Deletes `file` (the name itself, never what a symlink points to) inside a verified directory. */
export async function removeFileConfined(file: string, policy: ConfinementPolicy): Promise<void> {
  const abs = path.resolve(file);
  const dir = await openDir(path.dirname(abs), policy, false);
  try {
    refuse(policy, path.join(dir.real, path.basename(abs)));
    await fs.rm(dir.at(path.basename(abs)), { force: true });
  } finally {
    await dir.handle.close();
  }
}
