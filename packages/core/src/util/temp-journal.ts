import { rmSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { onProcessExit } from "./exit-cleanup.js";
import { cleanOrphanTempFiles, processAlive } from "./temp-files.js";

/**
 * Remembers, per process, the directories it creates temp files in (e.g. workspace directories file tools write
 * to), in `<dir>/<pid>.dirs`. A later process sweeps the directories of journals whose process is gone, so a
 * crash between creating a temp file and renaming it never leaves the temp file in the user's project.
 */
export class TempFileJournal {
  private readonly noted = new Set<string>();
  private exitHook = false;

  constructor(readonly dir: string) {}

  private get file(): string {
    return path.join(this.dir, `${process.pid}.dirs`);
  }

  /** Records `realDir` before a temp file is created in it (once per directory and process). */
  async note(realDir: string): Promise<void> {
    if (this.noted.has(realDir)) return;
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await fs.appendFile(this.file, `${realDir}\n`, { mode: 0o600 });
    this.noted.add(realDir);
    if (!this.exitHook) {
      this.exitHook = true;
      // A clean exit leaves no temp files behind: its journal is not needed.
      onProcessExit(() => rmSync(this.file, { force: true }));
    }
  }

  /** Removes orphaned temp files in the directories of every journal whose process is gone; returns them. */
  async sweep(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      const pid = /^(\d+)\.dirs$/.exec(name)?.[1];
      if (pid === undefined || processAlive(Number(pid))) continue;
      const journal = path.join(this.dir, name);
      const dirs = (await fs.readFile(journal, "utf8").catch(() => "")).split("\n").filter(Boolean);
      for (const dir of new Set(dirs)) removed.push(...(await cleanOrphanTempFiles(dir)));
      await fs.rm(journal, { force: true });
    }
    return removed;
  }
}
