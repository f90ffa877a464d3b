export { TmuxSession, type WaitOptions } from "./tmux-session.js";
