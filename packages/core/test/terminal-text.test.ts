import { describe, expect, it } from "vitest";
import {
  ConfigError,
  escapeControls,
  revealPadding,
  sanitizeTerminalText,
  sanitizeTerminalValue,
  toJsonText,
} from "../src/index.js";

describe("sanitizeTerminalText", () => {
  it("drops bidi embedding, override and isolate controls (displayed order must be stored order)", () => {
    const trojan = "rm -rf ~/x \u202E\u2066 # harmless\u2069\u202C";
    expect(sanitizeTerminalText(trojan)).toBe("rm -rf ~/x  # harmless");
  });

  it("never lets an escape sequence split across streamed pieces reach the terminal", () => {
    const pieces = ["answer \u001B", "]52;c;cm0gLXJmIH4K\u0007 done"].map(sanitizeTerminalText);
    expect(pieces.join("")).not.toContain("\u001B");
    expect(pieces.join("")).not.toContain("\u0007");
    expect(pieces.join("")).toContain("done");
  });

  it("keeps text, newlines, tabs and right-to-left letters", () => {
    expect(sanitizeTerminalText("שלום\tworld\nnext")).toBe("שלום\tworld\nnext");
  });

  it("cleans keys and values of a JSON-like value", () => {
    expect(sanitizeTerminalValue({ "k\u001B[2J": ["v\u0007", 1] })).toEqual({ k: ["v", 1] });
  });

  it("revealPadding shows runs of blanks as a count and keeps short spacing", () => {
    expect(revealPadding(`a  b${" ".repeat(50)}c`)).toBe("a  b ⟨50 blank⟩ c");
    expect(revealPadding(`x${"\u2800".repeat(9)}y`)).toBe("x ⟨9 blank⟩ y");
  });

  it("escapeControls shows a name's control characters instead of dropping them", () => {
    expect(escapeControls("rev\u001B[2Kiewer.md")).toBe("rev\\u001b[2Kiewer.md");
    expect(escapeControls("a\nb\u202E")).toBe("a\\u000ab\\u202e");
  });

  it("a ConfigError keeps its lines and escapes the controls within them", () => {
    expect(new ConfigError("bad key `x\u001B]0;t\u0007`\nfix it").message).toBe(
      "bad key `x\\u001b]0;t\\u0007`\nfix it",
    );
  });

  it("toJsonText: compact or indented JSON with no raw C1, DEL or bidi control, parsing to the same value", () => {
    const value = { text: "a\u009b31mred\u202Eevil\u007f\n\u001b]52;c;x\u0007", list: ["\u2066x\u2069"] };
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for what a terminal would act on.
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    for (const indent of [undefined, 2]) {
      const text = toJsonText(value, indent);
      expect(text.endsWith("\n")).toBe(true);
      expect(raw.test(text)).toBe(false);
      expect(JSON.parse(text)).toEqual(value);
    }
    expect(toJsonText(value)).not.toContain("\n ");
    expect(toJsonText(value, 2).split("\n").length).toBeGreaterThan(3);
  });
});
