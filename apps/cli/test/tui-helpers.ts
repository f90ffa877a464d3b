import fs from "node:fs/promises";
import path from "node:path";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { TmuxSession } from "@codetether/tui/testing";
import { afterEach } from "vitest";
import { BIN, makeSandbox } from "./helpers.js";
import type { ChatBody } from "./scripted-openai.js";

export type { ChatBody };

/** One TUI test's world: a temp HOME/XDG sandbox, a scripted OpenAI server and tmux-driven `codetether` runs. */
export interface TuiWorld {
  dir: string;
  work: string;
  /** The environment every TUI started here gets (sandbox dirs, `TERM`, the scripted server's key and URL). */
  env: Record<string, string>;
  server: ScriptedOpenAI;
  /** Starts `codetether <args>` in tmux and waits until the TUI shows "○ ready". */
  open(args?: string[], options?: TuiStartOptions): Promise<TmuxSession>;
  /** Starts `codetether <args>` in tmux without waiting for anything (for start-up errors and exit codes). */
  start(args: string[], options?: TuiStartOptions): Promise<TmuxSession>;
  /** The bodies of the chat requests the scripted server received, oldest first. */
  chatBodies<T = ChatBody>(): T[];
  /** The body of the latest chat request; throws when there was none. */
  lastChatBody<T = ChatBody>(): T;
}

export interface TuiStartOptions {
  width?: number;
  /** Replaces the world's environment for this TUI (e.g. without `NO_COLOR`). */
  env?: Record<string, string>;
}

export interface TuiWorldOptions {
  /** The user's `config.toml` body. */
  config?: string;
  /** Model ids the scripted server lists. */
  models?: string[];
  /** Files to create, by path relative to the sandbox dir (`work/…` is the project, `config/codetether/…` the user config). */
  files?: Record<string, string>;
}

export const DEFAULT_TUI_ARGS = ["tui", "--model", "openai/gpt-4o"];

/**
 * Registers the clean-up (kill every tmux session, close the scripted server) with the calling test file's
 * `afterEach` and returns `setup(turns, options)`, which builds one {@link TuiWorld} per test.
 */
export function useTmuxTui(): (
  turns: Parameters<typeof startScriptedOpenAI>[0],
  options?: TuiWorldOptions,
) => Promise<TuiWorld> {
  const sessions: TmuxSession[] = [];
  const servers: ScriptedOpenAI[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.kill();
    for (const s of servers.splice(0)) await s.close();
  });
  return async (turns, options = {}) => {
    const server = await startScriptedOpenAI(turns, options.models ? { models: options.models } : {});
    servers.push(server);
    const box = await makeSandbox();
    const files = { ...options.files };
    if (options.config) files["config/codetether/config.toml"] = options.config;
    for (const [rel, body] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(box.dir, rel)), { recursive: true });
      await fs.writeFile(path.join(box.dir, rel), body);
    }
    const env = {
      ...box.env,
      TERM: "xterm-256color",
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: server.url,
    };
    const start = async (args: string[], opts: TuiStartOptions = {}) => {
      const tmux = new TmuxSession(opts.env ?? env);
      sessions.push(tmux);
      await tmux.start([process.execPath, BIN, ...args], box.work, opts.width ?? 120);
      return tmux;
    };
    const chatBodies = <T>() =>
      server.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => r.body as T);
    return {
      ...box,
      env,
      server,
      start,
      async open(args = DEFAULT_TUI_ARGS, opts = {}) {
        const tmux = await start(args, opts);
        await tmux.waitFor((s) => s.includes("○ ready"), "the TUI to start");
        return tmux;
      },
      chatBodies,
      lastChatBody<T>() {
        const last = chatBodies<T>().at(-1);
        if (last === undefined) throw new Error("the scripted server received no chat request");
        return last;
      },
    };
  };
}
