import { constants } from "node:fs";
import fs, { type FileHandle } from "node:fs/promises";

const { O_RDONLY, O_WRONLY, O_APPEND, O_CREAT } = constants;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Opens the progress log. It lives in the workspace, which a sandboxed story agent can write, and ralph runs outside
 * the sandbox: a log swapped for a symlink (to ~/.bashrc, to ~/.ssh/id_rsa) is refused, not followed (O_NOFOLLOW),
 * and so is anything but a regular file (O_NONBLOCK: a FIFO does not block the loop).
 */
async function openLog(file: string, flags: number, mode?: number): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, flags | O_NOFOLLOW | O_NONBLOCK, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP")
      throw new Error(
        `${file} is a symlink; ralph neither writes nor reads its progress log through one (the story agent may ` +
          "have replaced it). Check where it points, remove it, and run again.",
      );
    // A FIFO without a reader, opened for writing without blocking.
    if ((err as NodeJS.ErrnoException).code === "ENXIO") throw notRegular(file);
    throw err;
  }
  const st = await handle.stat().catch(async (err: Error) => {
    await handle.close();
    throw err;
  });
  if (!st.isFile()) {
    await handle.close();
    throw notRegular(file);
  }
  return handle;
}

const notRegular = (file: string) =>
  new Error(`${file} is not a regular file; remove it (ralph recreates its progress log) and run again.`);

/**
 * Appends one entry and fsyncs it: after a crash the file holds every finished entry, at worst
 * followed by a partial last line (never a truncated earlier one, as a rewrite could leave).
 */
export async function appendProgress(file: string, entry: string): Promise<void> {
  const handle = await openLog(file, O_WRONLY | O_APPEND | O_CREAT, 0o644);
  try {
    await handle.appendFile(entry.endsWith("\n") ? entry : `${entry}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The last `maxChars` of the progress file (empty when there is none yet). */
export async function readProgressTail(file: string, maxChars = 6000): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await openLog(file, O_RDONLY);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw err;
  }
  try {
    const text = await handle.readFile("utf8");
    return text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
  } finally {
    await handle.close();
  }
}

/** Iteration numbers already logged, so a resumed run continues the numbering. */
export async function lastIteration(file: string): Promise<number> {
  const text = await readProgressTail(file, Number.MAX_SAFE_INTEGER);
  let last = 0;
  for (const match of text.matchAll(/^## Iteration (\d+)/gm)) last = Math.max(last, Number(match[1]));
  return last;
}
