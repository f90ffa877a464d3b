// The CLI bundle carries zod's English messages only (scripts/zod-english-only.ts): the other ~40 locales were
// half of the zod code every `run` and `serve` parsed. The messages users see stay zod's English ones.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { BIN, makeSandbox, runCli } from "./helpers.js";

const dist = path.dirname(BIN);
const chunks = fs.readdirSync(dist).filter((f) => /\.c?js$/.test(f) && f !== "bin.cjs");
const containing = (text: string) =>
  chunks.filter((f) => fs.readFileSync(path.join(dist, f), "utf8").includes(text));

it("bundles zod's English locale and no other", () => {
  // The CLI's own zod (dist/zod.cjs, required on first use) and the copy inlined for bundled dependencies.
  const english = containing("Invalid input: expected");
  expect(english).toHaveLength(2);
  expect(english).toContain("zod.cjs");
  // German, French and Japanese messages of zod's locales.
  for (const foreign of ["erwartet", "Entr\\xE9e invalide", "\\u7121\\u52B9\\u306A\\u5165\\u529B"])
    expect(containing(foreign), foreign).toEqual([]);
});

it("config errors still print zod's English messages (exit 2)", async () => {
  const { work, env } = await makeSandbox();
  const dir = path.join(env.XDG_CONFIG_HOME as string, "codetether");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "config.toml"), '[agent]\nmax_retries = "x"\n[ui]\ntheme = "pink"\n');
  const res = await runCli(["config", "--show"], { cwd: work, env });
  expect(res.code).toBe(2);
  expect(res.stderr).toContain("agent.max_retries: Invalid input: expected number, received string");
  expect(res.stderr).toContain(
    'ui.theme: Invalid option: expected one of "marketing"|"dark"|"light"|"solarized-dark"|"solarized-light"',
  );
});
