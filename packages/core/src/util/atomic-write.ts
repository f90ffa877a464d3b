import fs from "node:fs/promises";
import path from "node:path";
import { tempNameFor } from "./temp-files.js";

export interface AtomicWriteOptions {
  /** File mode for a new file, e.g. 0o600 for secrets. */
  mode?: number;
  /** fsync the file and its directory (default true): survives power loss, not only crashes. */
  fsync?: boolean;
}

/**
 * Writes a file so readers see either the old or the new content, never a torn one:
 * write a temp file in the same directory, fsync, rename over the target, fsync the directory.
 * A crash between the two leaves a temp file that {@link cleanOrphanTempFiles} removes at the next start.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, tempNameFor(path.basename(file)));
  let mode = options.mode;
  if (mode === undefined) {
    try {
      mode = (await fs.stat(file)).mode & 0o777;
    } catch {
      mode = 0o644;
    }
  }
  // The directory is created only when missing: a session saved after every agent step must not pay a mkdir each time.
  const handle = await fs.open(tmp, "wx", mode).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw err;
    await fs.mkdir(dir, { recursive: true });
    return fs.open(tmp, "wx", mode);
  });
  try {
    await handle.writeFile(data);
    if (options.fsync !== false) await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  if (options.fsync !== false) {
    const dirHandle = await fs.open(dir, "r").catch(() => undefined);
    await dirHandle?.sync().catch(() => {});
    await dirHandle?.close();
  }
}
