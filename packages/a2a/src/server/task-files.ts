import type { Dir } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Task } from "@a2a-js/sdk";

/** A task file: the task with its scope (tenant and owner). */
export interface StoredTask {
  version: 1;
  tenant: string;
  owner: string;
  task: unknown;
}

/** A task file as read: undefined when missing, unreadable or foreign (such a file is skipped, never deleted). */
export async function readTaskFile(
  file: string,
): Promise<{ tenant: string; owner: string; task: Task } | undefined> {
  try {
    const raw = JSON.parse(await fs.readFile(file, "utf8")) as StoredTask;
    const task = Task.fromJSON(raw.task as Record<string, unknown>);
    if (!task.id) return undefined;
    return { tenant: raw.tenant ?? "", owner: raw.owner ?? "unknown", task };
  } catch {
    return undefined;
  }
}

/** `writeFileAtomic`'s temp files: `.<name>.<pid>.<random>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

/**
 * Deletes temp files left by writes a crash interrupted (another pid, or this one's before a restart with
 * the same pid is impossible while it runs). The task's previous file, if any, is intact: renames are atomic.
 */
export async function cleanStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  for await (const name of names(dir)) {
    const match = TEMP_FILE.exec(name);
    if (!match || Number(match[1]) === process.pid) continue;
    await fs.rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

/** Task files the index does not know (written before a crash cut the journal line, or by an older version). */
export async function* tasksMissingFromIndex(
  dir: string,
  known: (id: string) => boolean,
): AsyncGenerator<{ tenant: string; owner: string; task: Task }> {
  for await (const name of names(dir)) {
    if (!name.endsWith(".json") || name.startsWith(".")) continue;
    if (known(name.slice(0, -".json".length))) continue;
    const stored = await readTaskFile(path.join(dir, name));
    if (stored) yield stored;
  }
}

/** Directory entries streamed (no array of 100k names). */
async function* names(dir: string): AsyncGenerator<string> {
  let handle: Dir;
  try {
    handle = await fs.opendir(dir, { bufferSize: 256 });
  } catch {
    return;
  }
  for await (const entry of handle) yield entry.name;
}
