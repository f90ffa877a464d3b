import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { bash, gitIn, sandboxUsable, toolEnds, useVarTmpHomes } from "./sandbox-helpers.js";
import { useScriptedModels } from "./scripted-openai.js";

/**
 * AGENTS.md is read outside the sandbox and goes into every request to the provider. A sandboxed bash can write the
 * workspace, so it can make AGENTS.md a symlink to a file the sandbox hides (~/.ssh/id_rsa); the next run must not
 * put that file into the system prompt. Built CLI, real bubblewrap, scripted models; the home lives under /var/tmp
 * (the sandbox's private /tmp would hide a /tmp home by accident).
 */
const scripted = useScriptedModels();
const homeBox = useVarTmpHomes();
const SECRET = "PRIVATE-KEY-0d15ea5e";

describe.skipIf(!sandboxUsable("AGENTS.md symlink e2e"))(
  "AGENTS.md that links outside the repository",
  () => {
    it("a sandboxed bash's AGENTS.md -> ~/.ssh/id_rsa never reaches the provider", async () => {
      const box = await homeBox();
      await fs.mkdir(path.join(box.home, ".ssh"), { mode: 0o700 });
      await fs.writeFile(path.join(box.home, ".ssh", "id_rsa"), `${SECRET}\n`, { mode: 0o600 });
      gitIn(box.work, ["init", "-q"]);
      const env = { ...box.env, OPENAI_API_KEY: "sk-test", CODETETHER_SANDBOX: "1" };
      const first = await scripted([
        { toolCalls: [bash(`ln -s ${box.home}/.ssh/id_rsa AGENTS.md && echo linked`)] },
        { text: "done" },
      ]);
      const one = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "plant"], {
        cwd: box.work,
        env: { ...env, OPENAI_BASE_URL: first.url },
      });
      expect(one.code, one.stderr).toBe(0);
      expect(toolEnds(one.stdout)[0]?.result.output).toContain("linked");
      expect((await fs.lstat(path.join(box.work, "AGENTS.md"))).isSymbolicLink()).toBe(true);

      const second = await scripted([{ text: "hello" }]);
      const two = await runCli(["run", "--json", "--model", "openai/gpt-4o", "hi"], {
        cwd: box.work,
        env: { ...env, OPENAI_BASE_URL: second.url },
      });
      expect(two.code, two.stderr).toBe(0);
      expect(second.requests.length).toBeGreaterThan(0);
      expect(JSON.stringify(second.requests)).not.toContain(SECRET);
    });
  },
);
