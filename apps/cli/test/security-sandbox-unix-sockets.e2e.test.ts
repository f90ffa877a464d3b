import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { bash, sandboxUsable, toolEnds, useHostServices, useVarTmpHomes } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

/**
 * A host Unix socket such as /var/run/docker.sock is root on the host for whoever connects. The sandbox refuses
 * `socket(AF_UNIX)` (seccomp) whatever `network` says: `network = "allow"` is for the internet (npm install), not
 * for the host's daemons. Only `unix_sockets = "allow"` in the user's policy opens them. Built CLI, real bwrap.
 */
const model = useScriptedOpenAI();
const hostService = useHostServices();
const homeBox = useVarTmpHomes();
const usable = sandboxUsable("sandbox Unix socket tests");

async function probeSocket(policy: string) {
  const box = await homeBox("ct-sock-");
  // Outside the workspace and $HOME, like /var/run/docker.sock.
  const socketDir = await fs.mkdtemp("/var/tmp/ct-daemon-");
  const socketPath = path.join(socketDir, "daemon.sock");
  const service = await hostService(socketPath);
  await fs.mkdir(box.configDir, { recursive: true });
  await fs.writeFile(
    path.join(box.configDir, "config.toml"),
    `[sandbox]\nenabled = true\ndefault = { ${policy} }\n`,
  );
  const probe = `node -e "require('net').connect('${socketPath}').on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',e=>console.log('ERR',e.code))"`;
  const server = await model.start([{ toolCalls: [bash(probe)] }, { text: "done" }]);
  const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "probe"], {
    cwd: box.work,
    env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
  });
  await fs.rm(socketDir, { recursive: true, force: true });
  expect(res.code).toBe(0);
  return { output: String(toolEnds(res.stdout)[0]?.result.output), connections: service.connections() };
}

describe.skipIf(!usable)("sandboxed bash and host Unix sockets", () => {
  it('network = "allow" still refuses connecting to a host daemon\'s Unix socket', async () => {
    const { output, connections } = await probeSocket('network = "allow"');
    expect(output).not.toContain("CONNECTED");
    expect(connections).toBe(0);
  });

  it('unix_sockets = "allow" in the user policy opens them', async () => {
    const { output, connections } = await probeSocket('network = "allow", unix_sockets = "allow"');
    expect(output).toContain("CONNECTED");
    expect(connections).toBe(1);
  });
});
