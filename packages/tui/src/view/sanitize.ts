/**
 * Untrusted text (model output, tool output, file contents, session titles) must not drive the terminal:
 * an escape sequence could retitle the window, write the clipboard (OSC 52), hide text or forge UI.
 * This strips ESC sequences (CSI, OSC, DCS/APC/PM/SOS strings, two-byte escapes), 8-bit C1 controls, DEL
 * and C0 controls except newline and tab. Carriage returns are dropped (they would overwrite a line).
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
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function sanitizeTerminalText(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, "").replace(CONTROLS, "");
}

/** Sanitises every string inside a JSON-like value (tool arguments). */
export function sanitizeValue(value: unknown): unknown {
  if (typeof value === "string") return sanitizeTerminalText(value);
  if (Array.isArray(value)) return value.map(sanitizeValue);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [sanitizeTerminalText(k), sanitizeValue(v)]),
    );
  return value;
}
