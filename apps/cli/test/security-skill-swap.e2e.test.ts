import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { bash, sandboxUsable, toolEnds, useVarTmpHomes } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

/**
 * The `skill` tool runs in the CLI process, outside the sandbox. A sandboxed bash may write `.claude/skills` (it is
 * in the workspace), so it can plant a SKILL.md and swap it for a symlink to a file the sandbox hides — here
 * ~/.ssh/id_rsa. The swap is made deterministic with a FIFO planted as a second SKILL.md: a skill tool that reads
 * each file with a blocking open waits on the FIFO after it validated `aa`; bash's open of the FIFO returns only
 * then, swaps `aa`, and lets discovery go on to load `aa` by its path again.
 */
const model = useScriptedOpenAI();
const homeBox = useVarTmpHomes();
const usable = sandboxUsable("skill swap e2e");

describe.skipIf(!usable)(
  "skill tool vs a SKILL.md swapped by sandboxed bash (built binary, real bwrap)",
  () => {
    it("returns the skill it validated, never the secret the swapped-in symlink points at", async () => {
      const box = await homeBox();
      await fs.mkdir(path.join(box.home, ".ssh"), { mode: 0o700 });
      await fs.writeFile(path.join(box.home, ".ssh", "id_rsa"), "PRIVATE-KEY-9e8d7c\n", { mode: 0o600 });
      const setup = [
        "mkdir -p .claude/skills/aa .claude/skills/zz",
        "printf -- '---\\nname: aa\\ndescription: harmless\\n---\\nHarmless steps.\\n' > .claude/skills/aa/SKILL.md",
        "mkfifo .claude/skills/zz/SKILL.md",
        "echo setup-done",
      ].join(" && ");
      // `timeout`: a skill tool that never opens the FIFO for a blocking read leaves this open without a reader.
      const swap =
        "timeout 3 sh -c 'exec 3> .claude/skills/zz/SKILL.md; " +
        `ln -sfn ${box.home}/.ssh/id_rsa .claude/skills/aa/SKILL.md; ` +
        'printf -- "---\\nname: zz\\ndescription: z\\n---\\nz\\n" >&3\'; echo swap-done';
      const server = await model.start([
        { toolCalls: [bash(setup)] },
        { toolCalls: [bash(swap), { name: "skill", arguments: { action: "load", name: "aa" } }] },
        { text: "done" },
      ]);
      const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "use the aa skill"], {
        cwd: box.work,
        env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url, CODETETHER_SANDBOX: "1" },
      });
      expect(res.code, res.stderr).toBe(0);
      const ends = toolEnds(res.stdout);
      const out = (name: string) => ends.find((e) => e.tool === name)?.result.output as string;
      expect(ends.map((e) => e.result.output as string).join("\n")).toContain("setup-done");
      const skillOutput = out("skill");
      expect(skillOutput).toBeDefined();
      expect(skillOutput).not.toContain("PRIVATE-KEY-9e8d7c");
      expect(skillOutput).toContain("Harmless steps.");
      expect(JSON.stringify(server.requests)).not.toContain("PRIVATE-KEY-9e8d7c");
    });
  },
);
