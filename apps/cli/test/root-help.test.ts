import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { pickRootHelp, printRootHelp } from "../src/help/root-help.js";
import { type RootHelpSnapshot, renderHelp } from "../src/help/root-help-snapshot.js";
import { buildProgram } from "../src/main.js";
import { BIN, makeSandbox, runCli } from "./helpers.js";

const snapshotPath = path.join(path.dirname(BIN), "root-help.json");
const snapshot = JSON.parse(fs.readFileSync(snapshotPath, "utf8")) as RootHelpSnapshot;
const live = (width: number | undefined) => renderHelp(buildProgram(snapshot.version).program, width);

describe("codetether --help from the build-time snapshot", () => {
  it("equals what commander prints, piped and at every terminal width", () => {
    expect(pickRootHelp(snapshot, { isTTY: false, columns: 33 })).toBe(live(undefined));
    for (const width of [0, 1, 39, 40, 60, 72, 79, 80, 81, 99, 100, 118, 127, 128, 200, 10_000]) {
      expect(pickRootHelp(snapshot, { isTTY: true, columns: width }), `width ${width}`).toBe(live(width));
    }
    // A TTY that reports no size: commander falls back to 80.
    expect(pickRootHelp(snapshot, { isTTY: true })).toBe(live(80));
  });

  it("is what the binary prints for --help and -h, exit 0", async () => {
    const { work, env } = await makeSandbox();
    for (const flag of ["--help", "-h"]) {
      const res = await runCli([flag], { cwd: work, env });
      expect(res.code).toBe(0);
      expect(res.stderr).toBe("");
      expect(res.stdout).toBe(live(undefined));
    }
  });

  it("prints --version and --help into a pipe closed early without an error (exit 0)", () => {
    for (const flag of ["--help", "--version"]) {
      const res = spawnSync(
        "bash",
        [
          "-c",
          `"${process.execPath}" "${BIN}" ${flag} | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`,
        ],
        { encoding: "utf8" },
      );
      expect(res.stdout.trim(), flag).toBe("exit=0");
      expect(res.stderr, flag).toBe("");
    }
  });

  it("declines (so commander runs) when the snapshot is from another version", async () => {
    const written: string[] = [];
    const stdout = Object.assign(new (await import("node:stream")).Writable(), { isTTY: false });
    stdout.write = (chunk: string) => written.push(chunk) > 0;
    const url = pathToFileURL(snapshotPath);
    expect(printRootHelp(stdout, "0.0.0-not-this-build", url)).toBe(false);
    expect(printRootHelp(stdout, snapshot.version, new URL("missing.json", url))).toBe(false);
    expect(written).toEqual([]);
    expect(printRootHelp(stdout, snapshot.version, url)).toBe(true);
    expect(written).toEqual([live(undefined)]);
  });
});
