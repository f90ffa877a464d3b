import { execFileSync } from "node:child_process";
import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { TmuxSession } from "../src/testing/index.js";

const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let tmux: TmuxSession | undefined;
afterEach(async () => {
  await tmux?.kill();
});

describe.skipIf(!hasTmux)("TmuxSession", () => {
  it("types into a real terminal, reads the screen and the exit status", async () => {
    tmux = new TmuxSession({ PATH: process.env.PATH ?? "", TERM: "xterm-256color", HOME: os.tmpdir() });
    await tmux.start(
      ["sh", "-c", 'printf "name? "; read name; echo "hello $name"; exit 3'],
      os.tmpdir(),
      60,
      10,
    );
    await tmux.waitFor((s) => s.includes("name?"), "the prompt");
    await tmux.type("ada");
    await tmux.keys("Enter");
    expect(await tmux.waitForExit()).toBe(3);
    expect(await tmux.capture()).toContain("hello ada");
    await expect(tmux.waitFor((s) => s.includes("never"), "nothing", { timeoutMs: 300 })).rejects.toThrow(
      /timed out waiting for nothing; screen:\n[\s\S]*hello ada/,
    );
  });
});
