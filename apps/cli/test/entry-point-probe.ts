import fs from "node:fs/promises";
import path from "node:path";
import type { RecordedRequest, ScriptedOpenAI, ScriptedTurnData } from "@codetether/testing";
import { expect } from "vitest";
import { auditRecords, type securityBox } from "./security-helpers.js";

/**
 * One probe for every entry point: the scripted model asks to `write` a file (the user config denies it), then runs
 * `bash` that tries to write to /etc and prints its memory limit. Whatever front end drives the agent, the effects
 * must be the same: the file is not written, bash runs under bubblewrap + prlimit with the environment of
 * `[shell_environment_policy]` (its `set` variable reaches the command), both calls are audited.
 */

type Box = Awaited<ReturnType<typeof securityBox>>;
type WireMessage = { role: string; content?: unknown };

/** User config: write denied, sandbox on with a memory limit, asks auto-approved (so only the rule refuses). */
export const PROBE_CONFIG = `[permissions]
auto_approve = "all"
rules = [{ tool = "write", action = "deny" }]

[sandbox]
enabled = true
default = { max_memory = "1G" }

[shell_environment_policy]
set = { CT_PROBE_POLICY = "policy-applied" }
`;

export async function writeProbeConfig(box: Box, extra = ""): Promise<void> {
  await fs.mkdir(box.configDir, { recursive: true });
  await fs.writeFile(path.join(box.configDir, "config.toml"), PROBE_CONFIG + extra);
}

const text = (m: WireMessage | undefined): string =>
  typeof m?.content === "string"
    ? m.content
    : Array.isArray(m?.content)
      ? (m.content as Array<{ text?: string }>).map((p) => p.text ?? "").join("")
      : "";

/** A /etc path unique to this probe (tests run as root: without the sandbox the write would succeed). */
export function etcProbePath(tag: string): string {
  return `/etc/codetether-probe-${tag}-${process.pid}`;
}

/**
 * The scripted answer. A conversation whose first user message says "delegate" hands the probe to a `task`
 * sub-agent; swarm's planner gets one subtask; every other conversation runs the probe: write, bash, then text.
 */
export function probeAnswer(tag: string) {
  return (request: RecordedRequest): ScriptedTurnData => {
    const messages = (request.body as { messages: WireMessage[] }).messages;
    const all = messages.map(text).join("\n");
    const firstUser = text(messages.find((m) => m.role === "user"));
    const toolResults = messages.filter((m) => m.role === "tool").length;
    if (all.includes("Reply with JSON only") && toolResults === 0)
      return {
        text: JSON.stringify({
          subtasks: [
            { name: "probe", instruction: "probe the sandbox", specialty: "", dependencies: [], priority: 1 },
          ],
        }),
      };
    if (firstUser.includes("delegate"))
      return toolResults === 0
        ? { toolCalls: [{ name: "task", arguments: { description: "probe", prompt: "probe the sandbox" } }] }
        : { text: "delegated" };
    if (toolResults === 0)
      return { toolCalls: [{ name: "write", arguments: { path: `denied-${tag}.txt`, content: "x" } }] };
    if (toolResults === 1)
      return {
        toolCalls: [
          {
            name: "bash",
            arguments: {
              command: `touch ${etcProbePath(tag)} 2>&1; echo "VMLIMIT=$(ulimit -v) POLICY=$CT_PROBE_POLICY"`,
              description: "probe",
            },
          },
        ],
      };
    const story = /Current story: (\S+)/.exec(all)?.[1];
    return { text: story ? `STORY_COMPLETE: ${story}` : "probe done" };
  };
}

/** Tool results the model received, across every request. */
export function toolResultsSeen(model: ScriptedOpenAI): string[] {
  return model.requests.flatMap((r) =>
    ((r.body as { messages?: WireMessage[] }).messages ?? []).filter((m) => m.role === "tool").map(text),
  );
}

/** The probe's effects: rule applied, sandbox applied (read-only /etc, memory limit), both calls audited. */
export async function expectProbeContained(box: Box, model: ScriptedOpenAI, tag: string, cwd = box.work) {
  const seen = toolResultsSeen(model).join("\n");
  // The deny rule: the write never happened and the model was told why.
  await expect(fs.access(path.join(cwd, `denied-${tag}.txt`))).rejects.toThrow();
  expect(seen).toContain("Permission denied by a rule");
  // The sandbox: bash ran (its output came back) under a read-only root with a memory limit.
  expect(seen).toMatch(/VMLIMIT=\d+/);
  // The command environment policy, applied by the same launcher.
  expect(seen).toContain("POLICY=policy-applied");
  expect(seen).toContain("Read-only file system");
  await expect(fs.access(etcProbePath(tag))).rejects.toThrow();
  // The audit log: the refused write and the sandboxed bash call.
  const records = await auditRecords(box.auditDir);
  expect(records).toContainEqual(
    expect.objectContaining({ action: "permission.decision", resource: "write", outcome: "denied" }),
  );
  expect(records).toContainEqual(
    expect.objectContaining({
      action: "tool.start",
      resource: "bash",
      details: expect.objectContaining({ sandboxed: true }),
    }),
  );
}

/** Removes what an uncontained probe may have created on the host. */
export async function cleanProbe(tag: string): Promise<void> {
  await fs.rm(etcProbePath(tag), { force: true });
}
