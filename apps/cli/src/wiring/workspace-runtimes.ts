import { findGitRoot } from "@codetether/core";
import type { Runtime } from "./runtime.js";

/**
 * One runtime per workspace for a process that serves sessions in several folders (`acp`: the editor starts the
 * agent in one folder and opens sessions in others). Each folder's `codetether.toml` then applies to its own
 * sessions, under the same trust policy as `run` there. The process's own workspace reuses its runtime.
 */
export class WorkspaceRuntimes {
  private readonly byRoot = new Map<string, Runtime>();

  constructor(
    private readonly main: Runtime,
    private readonly create: (cwd: string) => Runtime,
  ) {}

  /** The runtime for a session whose cwd is `cwd` (created on first use; config errors throw, naming the file). */
  for(cwd: string): Runtime {
    const root = findGitRoot(cwd) ?? cwd;
    if (root === this.main.workspaceRoot) return this.main;
    let runtime = this.byRoot.get(root);
    if (!runtime) {
      runtime = this.create(cwd);
      this.byRoot.set(root, runtime);
    }
    return runtime;
  }

  /** Closes the runtimes created here (not the process's own). */
  async close(): Promise<void> {
    const all = [...this.byRoot.values()];
    this.byRoot.clear();
    await Promise.all(all.map((r) => r.close().catch(() => {})));
  }
}
