export { App, type AppProps } from "./app.js";
export { KEY_BINDINGS, parseSlash, SLASH_COMMANDS, type SlashCommand } from "./commands.js";
export { type RunTuiOptions, runTui } from "./run-tui.js";
export {
  type ControllerState,
  type CreateAgentInput,
  TuiController,
  type TuiDeps,
} from "./state/controller.js";
export type { RalphRunner, RunModel, SwarmRunner } from "./state/orchestration.js";
export type {
  RalphProgressEvent,
  RalphStatusLike,
  SwarmProgressEvent,
} from "./state/orchestration-events.js";
export { type PendingPrompt, PromptBridge } from "./state/prompt-bridge.js";
export { applyRalphEvent, type RalphView, ralphViewFromStatus } from "./state/ralph-state.js";
export { applySwarmEvent, type SwarmView, selectAgent, startSwarmView } from "./state/swarm-state.js";
export {
  applyEvent,
  type Entry,
  emptyTranscript,
  type TranscriptState,
  transcriptFromSession,
} from "./state/transcript.js";
export {
  colorEnabled,
  createTheme,
  isThemeName,
  THEME_NAMES,
  THEMES,
  type Theme,
  type ThemeColors,
  type ThemeName,
} from "./theme.js";
export { watchThemeConfig } from "./theme-watch.js";
export { renderMarkdown } from "./view/markdown.js";
export { renderTranscript } from "./view/transcript-view.js";
