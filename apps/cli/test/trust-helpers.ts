import { TmuxSession } from "@codetether/tui/testing";
import { afterEach, expect } from "vitest";
import { BIN } from "./helpers.js";

// Shared by the project-trust e2e files: the TUI's trust question, answered in tmux.

/**
 * `codetether tui --model openai/gpt-4o` in tmux, killed after each test (registers the `afterEach`).
 * `openTui(env, cwd)` starts one, 120 columns wide, and waits for nothing.
 */
export function useTrustTuis(): (env: Record<string, string>, cwd: string) => Promise<TmuxSession> {
  const tmuxes: TmuxSession[] = [];
  afterEach(async () => {
    for (const t of tmuxes.splice(0)) await t.kill();
  });
  return async (env, cwd) => {
    const tmux = new TmuxSession(env);
    tmuxes.push(tmux);
    await tmux.start([process.execPath, BIN, "tui", "--model", "openai/gpt-4o"], cwd, 120);
    return tmux;
  };
}

/** Waits for the trust question, answers it, waits for the TUI to start and quits it (exit 0); returns the question. */
export async function answerTrustQuestion(tmux: TmuxSession, answer: "y" | "n"): Promise<string> {
  const question = await tmux.waitFor((s) => s.includes("[y/N]"), "the trust question");
  await tmux.type(answer);
  await tmux.keys("Enter");
  await tmux.waitFor((s) => s.includes("○ ready"), "the TUI to start");
  await tmux.type("/quit");
  await tmux.keys("Enter");
  expect(await tmux.waitForExit()).toBe(0);
  return question;
}

/** `env` for a TUI in tmux: a terminal type and the scripted model `server`. */
export const tuiEnv = (env: Record<string, string>, server: { url: string }): Record<string, string> => ({
  ...env,
  TERM: "xterm-256color",
  OPENAI_API_KEY: "sk-test",
  OPENAI_BASE_URL: server.url,
});
