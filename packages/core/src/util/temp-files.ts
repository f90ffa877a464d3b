import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/** `.<name>.<pid>.<12 hex>.tmp`: the writer's pid tells a later start whether the writer is gone. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** The temp file name an atomic write of `name` uses next to it. */
export function tempNameFor(name: string): string {
  return `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
}

/** True while a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temp files that atomic writes left in `dir` when their process died between creating the temp
 * file and renaming it (a crash, SIGKILL, power loss). Only names of our own pattern whose writer is no
 * longer running are touched; returns the removed paths.
 */
export async function cleanOrphanTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    const file = path.join(dir, name);
    await fs.rm(file, { force: true });
    removed.push(file);
  }
  return removed;
}
