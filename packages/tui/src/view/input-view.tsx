import { Text } from "ink";
import type { InputState } from "../state/input-state.js";
import type { Theme } from "../theme.js";

/** The input box with a visible cursor; multi-line text shows every line. */
export function InputView({
  input,
  theme,
  placeholder,
}: {
  input: InputState;
  theme: Theme;
  placeholder: string;
}) {
  const prefix = theme.accent(theme.bold("› "));
  if (!input.text) return <Text>{`${prefix}${theme.inverse(" ")}${theme.muted(placeholder)}`}</Text>;
  const before = input.text.slice(0, input.cursor);
  const at = input.text[input.cursor];
  const after = input.text.slice(input.cursor + 1);
  const cursor = at === undefined || at === "\n" ? `${theme.inverse(" ")}${at ?? ""}` : theme.inverse(at);
  const body = `${before}${cursor}${after}`.split("\n").join("\n  ");
  return <Text>{`${prefix}${body}`}</Text>;
}
