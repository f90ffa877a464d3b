import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface WaitOptions {
  timeoutMs?: number;
  /** Keep colour escape sequences in the screen text (`capture-pane -e`). */
  escapes?: boolean;
  /** Join wrapped lines and include recent history (`capture-pane -J -S -100`). */
  joinWrapped?: boolean;
}

let count = 0;

/**
 * Drives a program in a real terminal for end-to-end tests: a tmux server on its own socket (never the
 * user's), one pane, keys sent with `send-keys`, the screen read with `capture-pane`. Call `kill()` in
 * `afterEach`. Needs the `tmux` binary (Debian package `tmux`).
 */
export class TmuxSession {
  readonly socket = `ct-tui-${process.pid}-${Date.now()}-${count++}`;

  constructor(private readonly env: Record<string, string>) {}

  private tmux(...args: string[]) {
    return run("tmux", ["-L", this.socket, "-f", "/dev/null", ...args], { env: this.env });
  }

  /** Starts `argv` in a `width`x`rows` pane. A wrapping shell prints `[exit N]` when the program ends. */
  async start(argv: string[], cwd: string, width = 120, rows = 40): Promise<void> {
    const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
    const command = `${argv.map(quote).join(" ")}; echo "[exit $?]"; sleep 600`;
    await this.tmux(
      "new-session",
      "-d",
      "-s",
      "main",
      "-x",
      String(width),
      "-y",
      String(rows),
      "-c",
      cwd,
      command,
    );
  }

  /** Types literal text (no key names). */
  async type(text: string): Promise<void> {
    await this.tmux("send-keys", "-t", "main", "-l", text);
  }

  /** Sends tmux key names such as Enter, Escape, Tab, C-d. */
  async keys(...names: string[]): Promise<void> {
    await this.tmux("send-keys", "-t", "main", ...names);
  }

  async capture(options: Pick<WaitOptions, "escapes" | "joinWrapped"> = {}): Promise<string> {
    const flags = [...(options.escapes ? ["-e"] : []), ...(options.joinWrapped ? ["-J", "-S", "-100"] : [])];
    const { stdout } = await this.tmux("capture-pane", "-p", ...flags, "-t", "main");
    return stdout;
  }

  /** Polls the screen until `check` holds; fails with the last screen after the deadline (default 30 s). */
  async waitFor(
    check: (screen: string) => boolean,
    what: string,
    options: WaitOptions = {},
  ): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    let screen = "";
    while (Date.now() < deadline) {
      screen = await this.capture(options).catch(() => screen);
      if (check(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
  }

  /** Waits for the program to end and returns its exit status. */
  async waitForExit(timeoutMs = 30_000): Promise<number> {
    const screen = await this.waitFor((s) => /\[exit \d+\]/.test(s), "the program to exit", { timeoutMs });
    return Number(/\[exit (\d+)\]/.exec(screen)?.[1]);
  }

  /** The pane title (programs set it with OSC 0/2 escape sequences). */
  async paneTitle(): Promise<string> {
    const { stdout } = await this.tmux("display-message", "-p", "-t", "main", "#{pane_title}");
    return stdout.trim();
  }

  async kill(): Promise<void> {
    await this.tmux("kill-server").catch(() => {});
  }
}
