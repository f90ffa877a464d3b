import fs from "node:fs";
import path from "node:path";

export const LOCK_FILE = "audit.lock";
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Cross-process mutex for one audit directory (the server and the CLI may append to the same log).
 * A lock file created with O_EXCL holds the owner's pid; a lock whose owner is dead is taken over,
 * so a writer killed with SIGKILL never blocks the next one. Held only for the few syscalls of one append.
 */
export class AuditLock {
  private readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, LOCK_FILE);
  }

  /** Runs `fn` while holding the lock (synchronously: appends are a handful of syscalls). */
  with<T>(fn: () => T, timeoutMs = 10_000): T {
    this.acquire(timeoutMs);
    try {
      return fn();
    } finally {
      fs.rmSync(this.file, { force: true });
    }
  }

  private acquire(timeoutMs: number): void {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = fs.openSync(this.file, "wx", 0o600);
        fs.writeSync(fd, String(process.pid));
        fs.closeSync(fd);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      if (this.isStale()) {
        fs.rmSync(this.file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `audit log lock ${this.file} is held by another process; if none is running, delete the file`,
        );
      }
      Atomics.wait(sleeper, 0, 0, Math.min(1 + attempt, 20));
    }
  }

  private isStale(): boolean {
    let text: string;
    let age: number;
    try {
      text = fs.readFileSync(this.file, "utf8");
      age = Date.now() - fs.statSync(this.file).mtimeMs;
    } catch {
      return false; // just released: retry
    }
    const pid = Number(text);
    if (!Number.isInteger(pid) || pid <= 0) return age > 1000; // owner died between create and write
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
  }
}
