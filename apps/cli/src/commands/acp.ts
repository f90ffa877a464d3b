import path from "node:path";
import { findGitRoot } from "@codetether/core";
import type { CliIO } from "../io.js";
import { agentSettings } from "../wiring/agent-settings.js";
import { createRuntime, modelChoice } from "../wiring/runtime.js";

export interface AcpCommandOptions {
  model?: string;
  /** The CLI version, reported to the editor in `initialize`. */
  version?: string;
}

/**
 * `codetether acp`: serves the Agent Client Protocol on stdin/stdout for an editor (Zed, JetBrains,
 * Neovim...). Wiring only; the logic is `@codetether/acp`'s `runAcpServer`. stdout carries protocol
 * messages only, so anything a library prints through `console` is sent to stderr.
 */
export async function acpCommand(options: AcpCommandOptions, io: CliIO): Promise<number> {
  const runtime = createRuntime({ cwd: io.cwd, env: io.env });
  const config = runtime.loaded.config;
  const toStderr = (...args: unknown[]) => io.stderr.write(`${args.map(String).join(" ")}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const { runAcpServer, listRegistryModels } = await import("@codetether/acp");
  await runAcpServer(
    {
      store: runtime.store,
      rules: config.permissions.rules,
      resolveModel: async (requested) => modelChoice(await runtime.resolveModel(requested ?? options.model)),
      listModels: async () => listRegistryModels(await runtime.providers()),
      responseHook: (model) => runtime.toolRouterHook(model.modelInfo),
      workspaceRoot: (cwd) => findGitRoot(cwd) ?? cwd,
      tools: {
        network: config.network,
        userConfigDir: path.dirname(runtime.loaded.userFile),
        task: { store: runtime.store, maxSteps: config.agent.max_steps },
      },
      agent: agentSettings(config),
      log: (message) => io.stderr.write(`codetether acp: ${message}\n`),
      ...(options.version ? { version: options.version } : {}),
    },
    { input: io.stdin, output: io.stdout },
  );
  return 0;
}
