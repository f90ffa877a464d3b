// `run` sends its first model request before loading zod (issue 25: evaluating zod, building every tool's schema
// and converting 23 of them to JSON Schema cost ~40 ms of the time to first token). A --require probe reports when
// dist/zod.cjs is required and when the first `fetch` leaves; zod may load later (to validate a tool call), never
// before the request. The second run finds an audit log and a saved session, so their open paths are covered too.
// (`run -c` loads zod first on purpose: the stored session is validated before it is sent.)
import fs from "node:fs/promises";
import { expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { FIRST_REQUEST, zodProbe } from "./zod-probe.js";

const model = useScriptedOpenAI();

it("run's first request leaves before zod is loaded, with and without an audit log and session on disk", async () => {
  const server = await model.start([{ text: "first answer" }, { text: "second answer" }]);
  const box = await makeSandbox();
  const env = {
    ...box.env,
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: server.url,
    NODE_OPTIONS: await zodProbe(box.dir, { fetch: true }),
  };
  for (const args of [
    ["run", "--json", "-m", "openai/gpt-4o", "hello"],
    ["run", "--json", "-m", "openai/gpt-4o", "hello again"],
  ]) {
    const res = await runCli(args, { cwd: box.work, env });
    expect(res.code, res.stderr).toBe(0);
    const markers = res.stderr.split("\n").filter((l) => l.startsWith("probe: "));
    expect(markers[0], `${args.join(" ")}: ${res.stderr}`).toBe(FIRST_REQUEST);
  }
  expect(server.requests).toHaveLength(2);
  await fs.rm(box.dir, { recursive: true, force: true });
});
