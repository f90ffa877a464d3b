import fs from "node:fs/promises";
import path from "node:path";
import { type PermissionDecision, type PermissionRequest, RuleGate } from "@codetether/core";
import { beforeEach, describe, expect, it } from "vitest";
import { codesearchTool } from "../src/codesearch.js";
import { globTool } from "../src/glob.js";
import { createGrepTool } from "../src/grep.js";
import { listTool } from "../src/list.js";
import { context, run, workspace, write } from "./helpers.js";

/**
 * grep, codesearch, glob and list stay on the folder the permission gate checked: a folder swapped for a symlink to one outside the
 * workspace after the gate allowed the call (what a parallel bash call can do) yields no match from outside.
 */
let ws: string;
let outside: string;
beforeEach(async () => {
  ws = await workspace();
  outside = path.join(path.dirname(ws), "outside");
  await write(outside, "secret.txt", "needle SECRET-OUTSIDE-42\n");
  await write(ws, "sub/inside.txt", "needle inside\n");
});

const swapAfterGate = (swap: () => Promise<void>) =>
  new (class extends RuleGate {
    override async check(request: PermissionRequest): Promise<PermissionDecision> {
      const decision = await super.check(request);
      await swap();
      return decision;
    }
  })();

describe.each([
  ["ripgrep", createGrepTool()],
  ["js", createGrepTool({ ripgrep: false })],
  ["codesearch", codesearchTool],
])("%s after a symlink swap", (_engine, tool) => {
  it("finds nothing outside the workspace", async () => {
    const gate = swapAfterGate(async () => {
      await fs.rm(path.join(ws, "sub"), { recursive: true });
      await fs.symlink(outside, path.join(ws, "sub"));
    });
    const result = await run(tool, { pattern: "needle", path: "sub" }, context(ws), gate);
    expect(result.output).not.toContain("SECRET-OUTSIDE-42");
  });
});

describe.each([
  ["glob", globTool, { pattern: "*.txt", path: "sub" }],
  ["list", listTool, { path: "sub" }],
])("%s after a symlink swap", (_name, tool, args) => {
  it("names no file outside the workspace", async () => {
    const gate = swapAfterGate(async () => {
      await fs.rm(path.join(ws, "sub"), { recursive: true });
      await fs.symlink(outside, path.join(ws, "sub"));
    });
    const result = await run(tool, args, context(ws), gate);
    expect(result.output).not.toContain("secret.txt");
  });
});
