/**
 * Untrusted text (model output, tool output, file contents, a remote agent's reply, session titles) must not
 * drive the terminal it is printed on: an escape sequence could retitle the window, write the clipboard
 * (OSC 52), plant a hyperlink, erase or rewrite lines already printed (so a command shown differs from the one
 * that ran) or forge UI. This strips ESC sequences (CSI, OSC, DCS/APC/PM/SOS strings, two-byte escapes),
 * 8-bit C1 controls, DEL, C0 controls except newline and tab, and the bidi embedding/override/isolate
 * controls that reorder what is displayed ("Trojan Source"). Carriage returns are dropped (they would
 * overwrite a line).
 *
 * Each control character is removed on its own as well, so a sequence split across streamed pieces never
 * reaches the terminal either (its remains print as plain text).
 */
const ESCAPE_SEQUENCES = new RegExp(
  [
    "\\u001B\\[[0-?]*[ -/]*[@-~]", // CSI
    "\\u001B[\\]PX^_][\\s\\S]*?(?:\\u0007|\\u001B\\\\|\\u009C|$)", // OSC, DCS, SOS, PM, APC strings
    "\\u001B[ -/]*[0-~]", // other escapes (charset, keypad, RIS)
    "[\\u0090\\u009D-\\u009F][\\s\\S]*?(?:\\u0007|\\u009C|$)", // 8-bit DCS/OSC/PM/APC strings
  ].join("|"),
  "g",
);
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** `text` without anything that would act on the terminal instead of being displayed (see above). */
export function sanitizeTerminalText(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, "").replace(CONTROLS, "");
}

/** Sanitises every string (keys included) inside a JSON-like value, e.g. tool arguments. */
export function sanitizeTerminalValue(value: unknown): unknown {
  if (typeof value === "string") return sanitizeTerminalText(value);
  if (Array.isArray(value)) return value.map(sanitizeTerminalValue);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [sanitizeTerminalText(k), sanitizeTerminalValue(v)]),
    );
  return value;
}

/**
 * Runs of blank-looking characters: whitespace, zero-width characters and the fillers that render as blank
 * (braille blank, Hangul fillers). A model pads a command with them to push its dangerous end out of view.
 */
const BLANK_RUN = /[\s\u115F\u1160\u180E\u200B-\u200D\u2060\u2800\u3164\uFEFF\uFFA0]{4,}/g;

/**
 * `text` with every run of four or more blank-looking characters shown as ` ⟨N blank⟩ `, for text a person
 * approves (a permission prompt's command): padding must not push what follows out of view.
 */
export function revealPadding(text: string): string {
  return text.replace(BLANK_RUN, (run) => ` ⟨${run.length} blank⟩ `);
}

/** `c` as a `\u001b`-style escape: what JSON would read back as `c`. */
const unicodeEscape = (c: string) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here.
const UNSAFE_IN_NAME = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * `name` with every control character (newline and tab included), C1 control and bidi control shown as a
 * `\u001b`-style escape: for names read from files (a config key, a file name) printed in messages and lists. Shown
 * rather than dropped, so a name built to erase a line or to pass for another name is seen for what it is.
 */
export function escapeControls(name: string): string {
  return name.replace(UNSAFE_IN_NAME, unicodeEscape);
}

// Outside its strings JSON has no control characters but the whitespace of indentation, and JSON.stringify escapes
// C0 controls inside strings; C1 controls (U+009B is CSI), DEL and bidi controls it leaves raw.
const UNSAFE_IN_JSON = /[\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * `value` as one line of JSON (or indented by `indent`) with a newline, safe to print to a terminal: every
 * character JSON.stringify leaves raw that a terminal acts on is a `\u` escape, so the text parses to the same
 * value. For every `--json` output.
 */
export function toJsonText(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent) ?? "null";
  return `${text.replace(UNSAFE_IN_JSON, unicodeEscape)}\n`;
}
