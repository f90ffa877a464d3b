// The CLI runs compiled code from its compile cache on every start (src/compile-cache/): a sandboxed command that
// could write there would run its own code outside the sandbox at the user's next start. The cache lives in
// codetether's cache dir, which the sandbox hides even when the user made the whole home writable.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { bash, sandboxUsable, toolEnds } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { securityBox } from "./security-helpers.js";

const model = useScriptedOpenAI();
const usable = sandboxUsable("compile cache sandbox e2e");

/** Every file under `dir` with a hash of its content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  const hashes = await Promise.all(
    files.map(
      async (f) =>
        [
          f,
          createHash("sha256")
            .update(await fs.readFile(f))
            .digest("hex"),
        ] as const,
    ),
  );
  return Object.fromEntries(hashes);
}

describe.skipIf(!usable)("compile cache vs a sandboxed command (built binary, real bwrap)", () => {
  it("bash cannot see or overwrite the compile cache, though the user made the whole home writable", async () => {
    const box = await securityBox();
    await fs.mkdir(box.configDir, { recursive: true });
    await fs.writeFile(
      path.join(box.configDir, "config.toml"),
      `[sandbox]\nenabled = true\n[sandbox.default]\nwritable_paths = [${JSON.stringify(box.dir)}]\n`,
    );
    const cacheRoot = path.join(box.dir, "cache", "codetether", "compile-cache");
    const control = path.join(box.dir, "written-by-bash.txt");
    const server = await model.start([
      { text: "warm" },
      {
        toolCalls: [
          bash(
            `find ${cacheRoot} -type f 2>/dev/null | wc -l; for f in $(find ${cacheRoot} -type f 2>/dev/null); do echo poisoned > "$f"; done; ` +
              `mkdir -p ${cacheRoot}/planted && echo poisoned > ${cacheRoot}/planted/main.cjs.v8; echo poisoned > ${control}`,
          ),
        ],
      },
      { text: "done" },
    ]);
    const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };

    const warm = await runCli(["run", "--json", "-m", "openai/gpt-4o", "hello"], { cwd: box.work, env });
    expect(warm.code, warm.stderr).toBe(0);
    const before = await snapshot(cacheRoot);
    expect(Object.keys(before).length).toBeGreaterThan(0);

    const attack = await runCli(["run", "--yes", "--json", "-m", "openai/gpt-4o", "poison the cache"], {
      cwd: box.work,
      env,
    });
    expect(attack.code, attack.stderr).toBe(0);
    const [end] = toolEnds(attack.stdout);
    expect(end.result.metadata.exitCode).toBe(0);
    // The writable home is really writable (the control file reached the host)...
    expect(await fs.readFile(control, "utf8")).toBe("poisoned\n");
    // ...but the cache folder was an empty tmpfs for the command: it saw no entries and changed none.
    expect(end.result.output.trim().split("\n")[0]).toBe("0");
    expect(await snapshot(cacheRoot)).toEqual(before);
  });
});
