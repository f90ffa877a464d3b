import { Box, type Key, Text, useApp, useInput, useStdin } from "ink";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { parseSlash } from "./commands.js";
import type { TuiController } from "./state/controller.js";
import * as inputOps from "./state/input-state.js";
import type { PromptBridge } from "./state/prompt-bridge.js";
import { selectAgent } from "./state/swarm-state.js";
import { toggleTool } from "./state/transcript.js";
import { createTheme, type Theme, type ThemeName } from "./theme.js";
import { builtinMenu, commandMenuLines, type MenuCommand } from "./view/command-menu.js";
import { helpLines } from "./view/help-view.js";
import { InputView } from "./view/input-view.js";
import { inspectorLines } from "./view/inspector-view.js";
import { PromptView } from "./view/prompt-view.js";
import { ralphLines } from "./view/ralph-view.js";
import { type CommandUi, type Layout, type Mode, runSlashCommand } from "./view/run-command.js";
import { sanitizeTerminalText as clean } from "./view/sanitize.js";
import { filtered, SelectList, type SelectState } from "./view/select-list.js";
import { StatusLine } from "./view/status-line.js";
import { swarmLines } from "./view/swarm-view.js";
import { renderTranscript, wrapLines } from "./view/transcript-view.js";
import { useTerminalSize } from "./view/use-terminal-size.js";

export interface AppProps {
  controller: TuiController;
  bridge: PromptBridge;
  theme: Theme;
  /** Lets the host push theme changes (config hot reload). Returns an unsubscribe function. */
  watchTheme?: (onChange: (name: ThemeName) => void) => () => void;
  layout?: Layout;
  onExit: (code: number) => void;
  /** `/refresh`: clear the terminal so the next frame is drawn from scratch. */
  onRefresh?: () => void;
}

type Picker = { kind: "models" | "sessions" | "agents" | "rewind"; state: SelectState };

/** The TUI: transcript viewport, dialogs, input box and status line. */
export function App({
  controller,
  bridge,
  theme: initialTheme,
  watchTheme,
  layout: initialLayout,
  onExit,
  onRefresh,
}: AppProps) {
  const app = useApp();
  const state = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const pending = useSyncExternalStore(
    (cb) => bridge.subscribe(cb),
    () => bridge.current,
  );
  const { columns, rows } = useTerminalSize();
  const [theme, setThemeState] = useState(initialTheme);
  // Keys of one paste arrive before React re-renders: handlers read and write refs, not stale state.
  const [input, setInputState] = useState(inputOps.emptyInput());
  const inputRef = useRef(input);
  const setInput = (next: inputOps.InputState) => {
    inputRef.current = next;
    setInputState(next);
  };
  const [mode, setModeState] = useState<Mode>("chat");
  const [layout, setLayout] = useState<Layout>(initialLayout ?? "classic");
  const [picker, setPickerState] = useState<Picker | undefined>();
  const pickerRef = useRef(picker);
  const setPicker = (next: Picker | undefined) => {
    pickerRef.current = next;
    setPickerState(next);
  };
  const [scroll, setScroll] = useState(0);
  const [, setRefresh] = useState(0);
  // Custom commands for the `/` list, loaded once (new files show up in the next TUI session).
  const [customs, setCustoms] = useState<MenuCommand[]>([]);
  useEffect(() => {
    controller.customCommands().then(
      (list) => setCustoms(list.map((c) => ({ name: c.name, description: c.description }))),
      (err: Error) => controller.notify(`Custom commands: ${err.message}`, true),
    );
  }, [controller]);

  const setTheme = (name: ThemeName) => setThemeState(createTheme(name, initialTheme.color));
  useEffect(
    () => watchTheme?.((name) => setThemeState(createTheme(name, initialTheme.color))),
    [watchTheme, initialTheme.color],
  );

  const exit = (code: number) => {
    controller.interrupt();
    onExit(code);
    app.exit();
  };
  // Help opens at its top: the scroll offset counts lines from the bottom.
  const setMode = (next: Mode | ((m: Mode) => Mode)) =>
    setModeState((m) => {
      const value = typeof next === "function" ? next(m) : next;
      setScroll(value === "help" ? Number.MAX_SAFE_INTEGER : 0);
      return value;
    });
  const ui: CommandUi = {
    setMode,
    setLayout,
    openPicker: (kind, s) => setPicker({ kind, state: s }),
    setTheme: (name) => {
      setTheme(name);
      controller.notify(`Theme: ${name}`);
    },
    refresh: () => {
      onRefresh?.();
      setRefresh((n) => n + 1);
      setScroll(0);
      controller.notify("Refreshed.");
    },
    exit: () => exit(0),
  };

  // F2 has no flag in ink's Key: watch the raw key sequences (xterm SS3, VT220, Linux console).
  const { internal_eventEmitter: rawInput } = useStdin();
  useEffect(() => {
    const onRaw = (data: string) => {
      if (data === "\u001BOQ" || data === "\u001B[12~" || data === "\u001B[[B") setMode("swarm");
    };
    rawInput.on("input", onRaw);
    return () => {
      rawInput.off("input", onRaw);
    };
  });

  const wide = layout === "webview" && columns >= 100;
  const width = Math.max(20, (wide ? columns - 32 : columns) - (layout === "webview" ? 4 : 0));
  const lines =
    mode === "chat"
      ? renderTranscript(state.transcript.entries, theme, width)
      : wrapLines(
          mode === "help"
            ? helpLines(theme)
            : mode === "inspector"
              ? inspectorLines(state.transcript, theme, width)
              : mode === "swarm"
                ? swarmLines(state.swarm, theme)
                : ralphLines(state.ralph, theme),
          width,
        );
  const menu = pending || picker ? [] : commandMenuLines(input.text, builtinMenu(), customs, theme, columns);
  // Rows below the viewport: notice, status line, the (wrapped) input box, the `/` menu and an open prompt dialog.
  const inputRows = input.text
    .split("\n")
    .reduce((rows, line) => rows + Math.max(1, Math.ceil((line.length + 3) / Math.max(1, columns))), 0);
  const promptRows = !pending
    ? 0
    : pending.kind === "permission"
      ? 6
      : 4 + (pending.question.options?.length ?? 0) + Math.ceil(pending.question.question.length / columns);
  const chrome = 2 + inputRows + promptRows + menu.length + (layout === "webview" ? 2 : 0);
  const height = Math.max(3, rows - chrome);
  const maxScroll = Math.max(0, lines.length - height);
  const offset = Math.min(scroll, maxScroll);
  const visible = lines.slice(Math.max(0, lines.length - height - offset), lines.length - offset);

  const submitInput = () => {
    const { text, next } = inputOps.submit(inputRef.current);
    setInput(next);
    setScroll(0);
    if (!text.trim()) return;
    const command = parseSlash(text);
    if (command) void runSlashCommand(command, controller, ui);
    else void controller.submit(text.startsWith("//") ? text.slice(1) : text);
  };

  const choose = (p: Picker) => {
    const item = filtered(p.state)[p.state.index];
    setPicker(undefined);
    if (!item) return;
    if (p.kind === "models") void runSlashCommand({ name: "model", arg: item.value }, controller, ui);
    else if (p.kind === "agents") void runSlashCommand({ name: "agent", arg: item.value }, controller, ui);
    else if (p.kind === "rewind") void runSlashCommand({ name: "rewind", arg: item.value }, controller, ui);
    else void runSlashCommand({ name: "resume", arg: item.value }, controller, ui);
  };

  // Fast typing (tmux send-keys, slow machines) can deliver "text\r" as one chunk: type it, then press Enter.
  useInput((ch, key) => {
    if (!key.return && ch.length > 1 && ch.endsWith("\r") && !/[\r\n]/.test(ch.slice(0, -1))) {
      onKey(ch.slice(0, -1), key);
      onKey("", { ...key, return: true });
    } else onKey(ch, key);
  });

  function onKey(ch: string, key: Key) {
    const input = inputRef.current;
    const picker = pickerRef.current;
    const pending = bridge.current;
    if (pending?.kind === "permission") {
      if (ch === "y") bridge.answerPermission("once");
      else if (ch === "a") bridge.answerPermission("always");
      else if (ch === "n" || key.escape) bridge.answerPermission("deny");
      return;
    }
    if (pending?.kind === "question") {
      const options = pending.question.options ?? [];
      const n = Number(ch);
      if (key.escape) return bridge.answerQuestion("");
      if (!input.text && Number.isInteger(n) && n >= 1 && n <= options.length)
        return bridge.answerQuestion(options[n - 1] ?? "");
      if (key.return && !key.meta) {
        const { text, next } = inputOps.submit(input);
        setInput(next);
        return bridge.answerQuestion(text);
      }
    }
    if (picker) {
      const count = filtered(picker.state).length;
      const set = (s: Partial<SelectState>) => setPicker({ ...picker, state: { ...picker.state, ...s } });
      if (key.escape) setPicker(undefined);
      else if (key.return) choose(picker);
      else if (key.upArrow) set({ index: Math.max(0, picker.state.index - 1) });
      else if (key.downArrow) set({ index: Math.min(count - 1, picker.state.index + 1) });
      else if (key.backspace || key.delete) set({ filter: picker.state.filter.slice(0, -1), index: 0 });
      else if (ch && !key.ctrl && !key.meta) set({ filter: picker.state.filter + ch, index: 0 });
      return;
    }
    if (key.ctrl && ch === "c") {
      if (!controller.interrupt()) exit(0);
      return;
    }
    if (key.escape) {
      if (!controller.interrupt()) setMode("chat");
      return;
    }
    if (mode === "help" && ch === "?") return setMode("chat");
    if (key.ctrl && ch === "d" && !input.text) return exit(0);
    if (key.ctrl && ch === "b") return setLayout((l) => (l === "classic" ? "webview" : "classic"));
    if (key.ctrl && ch === "s") return setMode("swarm");
    if (key.tab && mode === "swarm" && state.swarm)
      return controller.update({ swarm: selectAgent(state.swarm, key.shift ? -1 : 1) });
    if (key.ctrl && ch === "o") return controller.update({ transcript: toggleTool(state.transcript) });
    if (key.meta && ch === "k") return setScroll((s) => Math.min(maxScroll, s + 1));
    if (key.meta && ch === "j") return setScroll((s) => Math.max(0, Math.min(maxScroll, s) - 1));
    if (key.pageUp) return setScroll((s) => Math.min(maxScroll, s + height - 1));
    if (key.pageDown) return setScroll((s) => Math.max(0, Math.min(maxScroll, s) - height + 1));
    if (key.upArrow) return setInput(inputOps.historyUp(input));
    if (key.downArrow) return setInput(inputOps.historyDown(input));
    if (key.leftArrow) return setInput(inputOps.moveCursor(input, -1));
    if (key.rightArrow) return setInput(inputOps.moveCursor(input, 1));
    if (key.backspace || key.delete) return setInput(inputOps.backspace(input));
    if (key.return && (key.meta || key.shift)) return setInput(inputOps.insertText(input, "\n"));
    if (key.return) return submitInput();
    if (ch === "\n") return setInput(inputOps.insertText(input, "\n"));
    if (ch === "?" && !input.text) return setMode((m) => (m === "help" ? "chat" : "help"));
    if (ch && !key.ctrl && !key.meta) setInput(inputOps.insertText(input, ch));
  }

  const transcript = <Text>{visible.join("\n")}</Text>;
  const border = theme.color ? theme.colors.accent : undefined;
  const main = picker ? (
    <SelectList state={picker.state} theme={theme} height={height} />
  ) : layout === "webview" ? (
    <Box flexDirection="row" height={height + 2}>
      <Box borderStyle="round" borderColor={border} flexGrow={1} flexDirection="column" overflow="hidden">
        {transcript}
      </Box>
      {wide ? (
        <Box borderStyle="round" borderColor={border} width={30} flexDirection="column">
          <Text>{theme.bold(theme.accent("Session"))}</Text>
          <Text wrap="truncate-end">{clean(state.title)}</Text>
          <Text wrap="truncate-end">{theme.muted(state.sessionId)}</Text>
          <Text>{theme.bold(theme.accent("Model"))}</Text>
          <Text wrap="truncate-end">{state.model}</Text>
        </Box>
      ) : null}
    </Box>
  ) : (
    <Box height={height} flexDirection="column" justifyContent="flex-end" overflow="hidden">
      {transcript}
    </Box>
  );
  const notice = state.notice
    ? state.notice.error
      ? theme.error(clean(state.notice.text))
      : theme.muted(clean(state.notice.text))
    : offset
      ? theme.muted(`↑ scrolled ${offset} lines (Alt+j / PgDn to go back)`)
      : "";
  return (
    <Box flexDirection="column" width={columns}>
      {main}
      {pending ? <PromptView prompt={pending} theme={theme} /> : null}
      {menu.length ? <Text>{menu.join("\n")}</Text> : null}
      <Text wrap="truncate-end">{notice}</Text>
      <InputView
        input={input}
        theme={theme}
        placeholder={
          pending?.kind === "question" ? " type your answer" : " ask anything · / for commands · ? help"
        }
      />
      <StatusLine state={state} theme={theme} width={columns} layout={layout} />
    </Box>
  );
}
