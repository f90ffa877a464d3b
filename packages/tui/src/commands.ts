/** Every key binding, for `?` help. */
export const KEY_BINDINGS: ReadonlyArray<readonly [string, string]> = [
  ["Enter", "send the prompt"],
  ["Ctrl+J / Alt+Enter / Shift+Enter", "new line in the prompt"],
  ["Up / Down", "previous / next prompt from history"],
  ["Esc", "interrupt the running turn (the session is kept); close a dialog"],
  ["Ctrl+C", "interrupt the running turn; quit when idle"],
  ["Ctrl+D", "quit (when the prompt is empty)"],
  ["Alt+k / Alt+j", "scroll up / down one line"],
  ["PgUp / PgDn", "scroll up / down one page"],
  ["Ctrl+O", "expand / collapse the latest tool output"],
  ["Ctrl+B", "switch layout (classic / webview)"],
  ["Ctrl+M", "model picker (same key as Enter in most terminals: use /model)"],
  ["Ctrl+S", "swarm view"],
  ["F2", "swarm view (terminals that report F2 as ESC O Q or ESC [12~)"],
  ["Tab / Shift+Tab", "next / previous agent in the swarm view"],
  ["?", "this help (on an empty prompt)"],
];

/** Every slash command, for `?` help and completion. */
export const SLASH_COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ["/help", "this help"],
  ["/model [provider/model]", "pick or set the model"],
  ["/sessions", "list sessions and resume one"],
  ["/resume [id]", "resume a session (picker without an id)"],
  ["/new", "start a new session"],
  ["/agent [name]", "run as a custom agent (.codetether/agents); picker without a name"],
  ["/compact", "summarise older messages to free context"],
  ["/rewind [turn] [files|conversation]", "restore files and conversation to the end of a turn (picker)"],
  ["/inspector", "raw agent events and tokens per step"],
  ["/view", "cycle the view: chat / inspector / swarm / ralph"],
  ["/webview", "webview layout (bordered panes, sidebar)"],
  ["/classic", "classic layout (plain transcript)"],
  ["/refresh", "clear and redraw the screen"],
  ["/theme [name]", "switch theme: marketing, dark, light, solarized-dark, solarized-light"],
  ["/swarm [task]", "swarm view; with a task, run a swarm with live per-agent progress"],
  ["/ralph [run] [prd.json]", "Ralph view: per-story progress; `run` works through the stories"],
  ["/quit", "exit"],
];

export interface SlashCommand {
  name: string;
  arg: string;
}

/** Parses `/name args`; undefined for plain prompts. `//text` sends `/text` as a prompt. */
export function parseSlash(text: string): SlashCommand | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("/") || trimmed.startsWith("//")) return undefined;
  const space = trimmed.search(/\s/);
  const name = (space === -1 ? trimmed : trimmed.slice(0, space)).slice(1).toLowerCase();
  const arg = space === -1 ? "" : trimmed.slice(space + 1).trim();
  return { name, arg };
}

export function knownCommandNames(): string[] {
  return SLASH_COMMANDS.map(([usage]) => (usage.split(" ")[0] ?? "").slice(1));
}
