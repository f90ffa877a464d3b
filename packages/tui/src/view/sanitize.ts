/** The shared terminal sanitiser of `@codetether/core` (every CLI output of untrusted text uses it). */
export { sanitizeTerminalText, sanitizeTerminalValue as sanitizeValue } from "@codetether/core";
