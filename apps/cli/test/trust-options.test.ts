import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "../src/exit-codes.js";
import { parseCwdOption, untrustedWorkspaceEnv } from "../src/program/act.js";

describe("serve/worker trust and --cwd option parsing", () => {
  it("serve and worker run with the workspace untrusted unless asked explicitly", () => {
    expect(untrustedWorkspaceEnv({ PATH: "/bin" }, undefined)).toEqual({
      PATH: "/bin",
      CODETETHER_TRUST_PROJECT: "0",
    });
    expect(untrustedWorkspaceEnv({}, true).CODETETHER_TRUST_PROJECT).toBe("1");
    expect(untrustedWorkspaceEnv({ CODETETHER_TRUST_PROJECT: "1" }, undefined).CODETETHER_TRUST_PROJECT).toBe(
      "1",
    );
    // Anything but an explicit yes is "never" (a stored `codetether trust` decision does not count).
    expect(untrustedWorkspaceEnv({ CODETETHER_TRUST_PROJECT: "maybe" }, false).CODETETHER_TRUST_PROJECT).toBe(
      "0",
    );
  });

  it("--cwd must name an existing directory (usage error, exit 2), never created", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-cwd-"));
    expect(parseCwdOption(dir)).toBe(dir);
    const missing = path.join(dir, "missing");
    expect(() => parseCwdOption(missing)).toThrow(CliError);
    expect(() => parseCwdOption(missing)).toThrow(/no such directory/);
    expect(fs.existsSync(missing)).toBe(false);
    fs.writeFileSync(path.join(dir, "file"), "");
    const notDir = (() => {
      try {
        parseCwdOption(path.join(dir, "file"));
      } catch (err) {
        return err as CliError;
      }
    })();
    expect(notDir?.exitCode).toBe(2);
    expect(notDir?.message).toContain("is not a directory");
  });
});
