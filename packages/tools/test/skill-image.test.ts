import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type PermissionDecision, type PermissionRequest, RuleGate } from "@codetether/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createImageTool, imageTool } from "../src/image.js";
import { createSkillTool } from "../src/skill.js";
import { context, run, workspace, write } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
});

const skill = (name: string, description: string, body: string) =>
  `---\nname: ${name}\ndescription: "${description}"\n---\n${body}\n`;

describe("skill", () => {
  it("discovers project and user skills, project first, and loads one", async () => {
    const user = path.join(ws, "..", "config");
    await write(
      ws,
      ".codetether/skills/release/SKILL.md",
      skill("release", "Cut a release", "Run the release steps."),
    );
    await write(ws, ".claude/skills/review/SKILL.md", skill("review", "Review code", "Check the diff."));
    await write(user, "skills/release/SKILL.md", skill("release", "User release", "user version"));
    await write(user, "skills/notes/SKILL.md", skill("notes", "Take notes", "Write notes."));
    await write(ws, ".codetether/skills/broken/SKILL.md", "no front matter");
    const tool = createSkillTool({ userConfigDir: user });
    const list = await run(tool, { action: "list" }, context(ws));
    expect(list.output).toContain("- release (project): Cut a release");
    expect(list.output).toContain("- review (project): Review code");
    expect(list.output).toContain("- notes (user): Take notes");
    expect(list.output).not.toContain("User release");
    expect(list.output).toContain("broken/SKILL.md: needs front matter");
    const load = await run(tool, { action: "load", name: "release" }, context(ws));
    expect(load.output).toContain("# Skill: release");
    expect(load.output).toContain("Run the release steps.");
    expect(load.output).not.toContain("description:");
  });
  it("rejects unknown names (no path tricks) and missing params", async () => {
    const tool = createSkillTool({ userConfigDir: path.join(ws, "none") });
    await write(ws, ".codetether/skills/release/SKILL.md", skill("release", "Cut", "x"));
    const traversal = await run(tool, { action: "load", name: "../../etc/passwd" }, context(ws));
    expect(traversal.isError).toBe(true);
    expect(traversal.output).toContain("No skill named");
    const close = await run(tool, { action: "load", name: "relase" }, context(ws));
    expect(close.output).toContain("Did you mean: release");
    expect((await run(tool, { action: "load" }, context(ws))).output).toContain("needs `name`");
    expect((await run(tool, { action: "delete" }, context(ws))).isError).toBe(true);
  });
});

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

describe("image", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/pic") res.end(PNG);
      else if (req.url === "/big") res.end(Buffer.alloc(4096, 1));
      else if (req.url === "/text") res.end("<html>hi</html>");
      else if (req.url === "/hang") res.writeHead(200).flushHeaders();
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  it("attaches the image as media, typed by magic bytes, not the extension", async () => {
    await write(ws, "pic.jpg", PNG);
    const res = await run(imageTool, { path: "pic.jpg" }, context(ws));
    expect(res.metadata?.mime).toBe("image/png");
    expect(res.media).toEqual([{ mimeType: "image/png", data: PNG.toString("base64") }]);
    expect(res.output).toMatch(/image\/png, \d+ bytes\), attached for viewing/);
    expect(res.output).not.toContain("base64");
    await write(ws, "logo.svg", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect((await run(imageTool, { path: "logo.svg" }, context(ws))).metadata?.mime).toBe("image/svg+xml");
  });
  it("downloads URLs from a local server with a size limit", async () => {
    // The fixture listens on loopback: allowed explicitly, as `[network] allow` does.
    const urlTool = createImageTool({ network: { allow: ["127.0.0.1"] } });
    const ok = await run(urlTool, { path: `${base}/pic` }, context(ws));
    expect(ok.metadata?.mime).toBe("image/png");
    const big = await run(urlTool, { path: `${base}/big`, maxBytes: 1000 }, context(ws));
    expect(big.output).toContain("too large");
    const text = await run(urlTool, { path: `${base}/text` }, context(ws));
    expect(text.output).toContain("not a recognised image");
    const missing = await run(urlTool, { path: `${base}/nope` }, context(ws));
    expect(missing.output).toContain("HTTP 404");
  });
  it("stops a download that never finishes when the turn is aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const res = await run(
      createImageTool({ network: { allow: ["127.0.0.1"] } }),
      { path: `${base}/hang` },
      context(ws, { signal: controller.signal }),
    );
    expect(res.isError).toBe(true);
    expect(res.output).toContain("cancelled");
  });
  it("rejects non-images, missing files, oversize files and escapes", async () => {
    await write(ws, "notes.png", "just text");
    expect((await run(imageTool, { path: "notes.png" }, context(ws))).output).toContain(
      "not a recognised image",
    );
    expect((await run(imageTool, { path: "nope.png" }, context(ws))).output).toContain("File not found");
    await write(ws, "pic.png", PNG);
    expect((await run(imageTool, { path: "pic.png", maxBytes: 10 }, context(ws))).output).toContain(
      "over the",
    );
    expect((await run(imageTool, { path: "../x.png" }, context(ws))).output).toContain(
      "outside the workspace",
    );
    expect((await run(imageTool, {}, context(ws))).isError).toBe(true);
  });

  it("reads only the file the gate checked: a symlink or FIFO swapped in after the gate is refused", async () => {
    // Another image outside the workspace (a screenshot of a secret); the swap happens once the gate allowed the call,
    // as a parallel bash call could do it.
    const outside = path.join(ws, "..", `outside-${path.basename(ws)}.png`);
    await fs.writeFile(outside, Buffer.concat([PNG, Buffer.from("SECRET-PIXELS")]));
    const swapAfterGate = (swap: (file: string) => Promise<void>) =>
      new (class extends RuleGate {
        override async check(request: PermissionRequest): Promise<PermissionDecision> {
          const decision = await super.check(request);
          await swap(path.join(ws, "pic.png"));
          return decision;
        }
      })();
    await write(ws, "pic.png", PNG);
    const viaLink = await run(
      imageTool,
      { path: "pic.png" },
      context(ws),
      swapAfterGate(async (file) => {
        await fs.rm(file);
        await fs.symlink(outside, file);
      }),
    );
    expect(viaLink.isError).toBe(true);
    expect(viaLink.output).toContain("outside the workspace");
    expect(JSON.stringify(viaLink)).not.toContain(
      Buffer.from("SECRET-PIXELS").toString("base64").slice(0, 8),
    );
    await fs.rm(path.join(ws, "pic.png"));
    await write(ws, "pic.png", PNG);
    const viaFifo = await run(
      imageTool,
      { path: "pic.png" },
      context(ws),
      swapAfterGate(async (file) => {
        await fs.rm(file);
        const { execFileSync } = await import("node:child_process");
        execFileSync("mkfifo", [file]);
      }),
    );
    expect(viaFifo.isError).toBe(true);
    await fs.rm(outside, { force: true });
  });
});
