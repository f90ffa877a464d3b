/** The input box: text, cursor, and prompt history (Up/Down). Pure functions for easy testing. */
export interface InputState {
  text: string;
  cursor: number;
  history: string[];
  /** Index into history while browsing; `history.length` means the draft. */
  historyIndex: number;
  draft: string;
}

export function emptyInput(history: string[] = []): InputState {
  return { text: "", cursor: 0, history, historyIndex: history.length, draft: "" };
}

export function insertText(s: InputState, text: string): InputState {
  const clean = text.replace(/\r\n?/g, "\n");
  return {
    ...s,
    text: s.text.slice(0, s.cursor) + clean + s.text.slice(s.cursor),
    cursor: s.cursor + clean.length,
  };
}

export function backspace(s: InputState): InputState {
  if (s.cursor === 0) return s;
  return { ...s, text: s.text.slice(0, s.cursor - 1) + s.text.slice(s.cursor), cursor: s.cursor - 1 };
}

export function moveCursor(s: InputState, delta: number): InputState {
  return { ...s, cursor: Math.max(0, Math.min(s.text.length, s.cursor + delta)) };
}

/** Up: the previous prompt from history (the unsent draft is kept). */
export function historyUp(s: InputState): InputState {
  if (s.historyIndex === 0) return s;
  const index = s.historyIndex - 1;
  const draft = s.historyIndex === s.history.length ? s.text : s.draft;
  const text = s.history[index] ?? "";
  return { ...s, historyIndex: index, draft, text, cursor: text.length };
}

/** Down: the next prompt, then back to the draft. */
export function historyDown(s: InputState): InputState {
  if (s.historyIndex >= s.history.length) return s;
  const index = s.historyIndex + 1;
  const text = index === s.history.length ? s.draft : (s.history[index] ?? "");
  return { ...s, historyIndex: index, text, cursor: text.length };
}

/** Enter: returns the submitted text and a cleared input with the text added to history. */
export function submit(s: InputState): { text: string; next: InputState } {
  const text = s.text;
  const history = text.trim() && s.history.at(-1) !== text ? [...s.history, text].slice(-200) : s.history;
  return { text, next: emptyInput(history) };
}
