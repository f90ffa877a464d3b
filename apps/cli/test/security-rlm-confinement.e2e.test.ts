import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { sandboxUsable, toolEnds, useVarTmpHomes } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

/**
 * The `rlm` tool reads files outside the sandbox, on the model's behalf, like the file tools: the permission gate
 * checks the path it is given, then the file must stay the one the gate saw. A workspace file swapped for a symlink
 * to a secret outside the workspace (or for a FIFO) while the tool runs — what a parallel bash call can do, the
 * sandbox allows creating such a link — must not be read. The swap happens when the sub-model is first asked,
 * after the gate let the call through.
 */
const model = useScriptedOpenAI();
const varTmpHome = useVarTmpHomes();
const usable = sandboxUsable("rlm confinement tests");

const SECRET = "PRIVATE-KEY-RLM-5e6f7a8b9c";

async function setup() {
  const { home, work, env } = await varTmpHome("ct-rlm-");
  await fs.mkdir(path.join(home, ".ssh"), { mode: 0o700 });
  const secretFile = path.join(home, ".ssh", "id_rsa");
  await fs.writeFile(secretFile, `${SECRET}\nsecond line of the key\n`, { mode: 0o600 });
  const notes = path.join(work, "notes.txt");
  await fs.writeFile(notes, "first note\nsecond note\nthird note\n");
  return {
    home,
    work,
    notes,
    secretFile,
    env: { ...env, OPENAI_API_KEY: "sk-test", CODETETHER_SANDBOX: "1" },
  };
}

type Box = Awaited<ReturnType<typeof setup>>;

/** Runs `rlm` on notes.txt; `swap(box)` changes notes.txt when the sub-model is first asked. */
async function runRlmWhileSwapping(swap: (box: Box) => Promise<void>) {
  const box = await setup();
  const server = await model.start([
    { toolCalls: [{ name: "rlm", arguments: { question: "What do the notes say?", paths: ["notes.txt"] } }] },
    async () => {
      await swap(box);
      return { toolCalls: [{ name: "rlm_head", arguments: { lines: 5 } }] };
    },
    { toolCalls: [{ name: "rlm_final", arguments: { answer: "the notes were read" } }] },
    { text: "done" },
  ]);
  const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "summarise"], {
    cwd: box.work,
    env: { ...box.env, OPENAI_BASE_URL: server.url },
  });
  return { res, sent: JSON.stringify(server.requests.map((r) => r.body)) };
}

describe.skipIf(!usable)("rlm reads only the file the permission gate checked", () => {
  it("a symlink to a secret outside the workspace swapped in mid-call is not followed", async () => {
    const { res, sent } = await runRlmWhileSwapping(async (box) => {
      await fs.rm(box.notes);
      await fs.symlink(box.secretFile, box.notes);
    });
    expect(res.code).toBe(0);
    expect(toolEnds(res.stdout).map((e) => e.tool)).toContain("rlm");
    expect(sent).toContain("first note");
    expect(sent).not.toContain(SECRET);
  });

  it("a FIFO swapped in mid-call does not hang the tool", async () => {
    const { res, sent } = await runRlmWhileSwapping(async (box) => {
      await fs.rm(box.notes);
      execFileSync("mkfifo", [box.notes]);
    });
    expect(res.code).toBe(0);
    expect(sent).toContain("first note");
  });
});
