import { findGitRoot, findProjectConfig, resolveProjectTrust } from "@codetether/core";
import type { CliIO } from "../io.js";
import { claimOnLoad } from "../wiring/claim-on-load.js";
import { agentSettings, createRuntime, modelChoice } from "../wiring/runtime.js";
import { SessionClaims } from "../wiring/session-claims.js";
import { usingRuntime } from "../wiring/using-runtime.js";
import { WorkspaceRuntimes } from "../wiring/workspace-runtimes.js";

export interface AcpCommandOptions {
  model?: string;
  /** The CLI version, reported to the editor in `initialize`. */
  version?: string;
}

/**
 * `codetether acp`: serves the Agent Client Protocol on stdin/stdout for an editor (Zed, JetBrains,
 * Neovim...). Wiring only; the logic is `@codetether/acp`'s `runAcpServer`. stdout carries protocol
 * messages only, so anything a library prints through `console` is sent to stderr. Each editor session takes its
 * gate, tools and agent from the runtime (rules, sandbox, audit log, secret redaction).
 */
export async function acpCommand(options: AcpCommandOptions, io: CliIO): Promise<number> {
  const runtime = createRuntime({ cwd: io.cwd, env: io.env, stderr: io.stderr });
  const config = runtime.loaded.config;
  const toStderr = (...args: unknown[]) => io.stderr.write(`${args.map(String).join(" ")}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const { runAcpServer, listRegistryModels } = await import("@codetether/acp");
  // `session/load` claims the session first, waiting (like `run -c`) while another process holds it.
  const claims = new SessionClaims(runtime.store, io.stderr);
  const workspaces = new WorkspaceRuntimes(runtime, (cwd) =>
    createRuntime({ cwd, env: io.env, stderr: io.stderr }),
  );
  await usingRuntime(runtime, () =>
    runAcpServer(
      {
        store: claimOnLoad(runtime.store, claims),
        runtime,
        // A session's project is its cwd: that folder's codetether.toml applies, with the same trust policy.
        runtimeFor: (cwd) => workspaces.for(cwd),
        resolveModel: async (requested) =>
          modelChoice(await runtime.resolveModel(requested ?? options.model)),
        listModels: async () => listRegistryModels(await runtime.providers()),
        responseHook: (model) => runtime.toolRouterHook(model.modelInfo),
        workspaceRoot: (cwd) => findGitRoot(cwd) ?? cwd,
        // A project's custom command or agent may pick the model only in a folder the user trusts.
        projectTrusted: (cwd) => resolveProjectTrust(cwd, io.env, findProjectConfig(cwd)).trustsFile,
        // The editor's own MCP servers over HTTP go through the same network guard.
        tools: { network: config.network },
        agent: agentSettings(config),
        log: (message) => io.stderr.write(`codetether acp: ${message}\n`),
        ...(options.version ? { version: options.version } : {}),
      },
      { input: io.stdin, output: io.stdout },
    ).finally(async () => {
      await claims.releaseAll();
      await workspaces.close();
    }),
  );
  return 0;
}
