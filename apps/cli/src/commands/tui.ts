import path from "node:path";
import {
  agentToolRegistry,
  dataDir,
  loadCustomAgents,
  loadCustomCommands,
  type ModelInfo,
  type ResponseHook,
} from "@codetether/core";
import type { PromptBridge } from "@codetether/tui";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { claimOnLoad } from "../wiring/claim-on-load.js";
import { resumeSession } from "../wiring/resume-session.js";
import { agentSettings, createRuntime, loadRuntimeConfig, type Runtime } from "../wiring/runtime.js";
import { SessionClaims } from "../wiring/session-claims.js";
import { usingRuntime } from "../wiring/using-runtime.js";

export interface TuiCommandOptions {
  model?: string;
  continue?: boolean;
  session?: string;
  cwd?: string;
  theme?: string;
  layout?: string;
}

/** `codetether tui`: wiring only — builds runtime, gate with interactive prompts, tools, then runs the TUI. */
export async function tuiCommand(options: TuiCommandOptions, io: CliIO): Promise<number> {
  const tui = await import("@codetether/tui");
  const { isThemeName, THEME_NAMES } = tui;
  if (options.theme !== undefined && !isThemeName(options.theme))
    throw new CliError(
      `Unknown theme "${options.theme}". Themes: ${THEME_NAMES.join(", ")}.`,
      ExitCode.Usage,
    );
  if (options.layout !== undefined && options.layout !== "classic" && options.layout !== "webview")
    throw new CliError(`Unknown layout "${options.layout}". Layouts: classic, webview.`, ExitCode.Usage);

  if (!io.stdin.isTTY || !io.stdout.isTTY) {
    throw new CliError(
      "codetether tui needs an interactive terminal (stdin and stdout must be a TTY). " +
        'For scripts and pipes use `codetether run "prompt"`.',
      ExitCode.Usage,
    );
  }
  const cwd = path.resolve(io.cwd, options.cwd ?? ".");
  // Before the UI takes the terminal: a project config that wants more than tightening asks once for trust.
  await (await import("../trust-prompt.js")).askProjectTrustOnce(cwd, io);
  // The TUI answers `ask` rules itself: the runtime's gate gets the interactive prompt instead of auto-approve.
  const bridge = new tui.PromptBridge();
  const runtime = createRuntime({ cwd, env: io.env, prompt: bridge.permission });
  // Sessions the TUI continues are claimed first, waiting (like `run -c`) while another process holds them.
  const claims = new SessionClaims(runtime.store, io.stderr);
  return usingRuntime(runtime, async () => {
    try {
      return await startTui(runtime, bridge, options, io, cwd, claims);
    } finally {
      await claims.releaseAll();
    }
  });
}

async function startTui(
  runtime: Runtime,
  bridge: PromptBridge,
  options: TuiCommandOptions,
  io: CliIO,
  cwd: string,
  claims: SessionClaims,
): Promise<number> {
  const { isThemeName, runTui } = await import("@codetether/tui");
  const config = runtime.loaded.config;
  const session = await resumeSession(runtime.store, options, cwd, (id) => claims.claim(id));
  const resolved = await runtime.resolveModel(options.model ?? (session?.model || undefined));
  // The embedded default asks to install its llama.cpp runtime (and fetches the model) before the screen starts.
  if ("installRuntime" in resolved.provider) {
    const { prepareLocalDefault } = await import("./models-local-setup.js");
    await prepareLocalDefault(runtime, resolved.provider, resolved.model, {}, io);
  }
  const registry = await runtime.providers();
  const { lookupModel } = await import("@codetether/providers");
  // The same registry as `run` (audit, sandbox, plugins, MCP/LSP, orchestration tools), keeping `question`.
  const tools = await runtime.tools({ interactive: true });
  const gate = runtime.gate;
  const routerFor = toolRouterPerAgent(runtime);
  const settings = agentSettings(config);
  const customDirs = {
    projectRoot: runtime.workspaceRoot,
    userConfigDir: path.dirname(runtime.loaded.userFile),
    projectTrusted: runtime.loaded.projectTrust.trustsFile,
  };
  // A resumed session goes on as the custom agent it ran as (`run --agent`, `/agent`), if that agent still exists.
  const savedAgent = typeof session?.metadata.agent === "string" ? session.metadata.agent : undefined;
  const initialAgent = savedAgent
    ? (await loadCustomAgents(customDirs)).agents.find((a) => a.name === savedAgent)
    : undefined;
  if (savedAgent && !initialAgent)
    io.stderr.write(
      `codetether: session ${session?.id} ran as the custom agent "${savedAgent}", which is not defined any more; continuing as the default agent\n`,
    );
  const files = [
    runtime.loaded.userFile,
    ...(runtime.loaded.projectFile ? [runtime.loaded.projectFile] : []),
  ];

  return runTui({
    registry,
    store: claimOnLoad(runtime.store, claims),
    bridge,
    initialModel: resolved.modelString,
    ...(session ? { session } : {}),
    ...(initialAgent ? { initialAgent } : {}),
    theme: isThemeName(options.theme) ? options.theme : config.ui.theme,
    ...(options.layout === "webview" || options.layout === "classic" ? { layout: options.layout } : {}),
    env: io.env,
    lookupModel: (provider, model) => lookupModel(provider, model, config),
    themeConfig: { files, read: () => loadRuntimeConfig(cwd, io.env).config.ui.theme },
    // Swarm and Ralph run with the TUI's current model and gated tools; their events feed the views.
    swarm: {
      async *start(task, signal, model) {
        const { startSwarm } = await import("@codetether/swarm");
        yield* startSwarm({ task, ...model, tools, cwd, signal, store: runtime.store }).events;
      },
    },
    ralph: {
      async status(prdPath) {
        const { ralphStatus } = await import("@codetether/ralph");
        return ralphStatus(path.resolve(cwd, prdPath));
      },
      async run(prdPath, signal, model, onEvent) {
        const { runRalph } = await import("@codetether/ralph");
        return runRalph({
          prdPath: path.resolve(cwd, prdPath),
          ...model,
          tools,
          cwd,
          signal,
          onEvent,
          store: runtime.store,
        });
      },
    },
    // `/rewind`: the agent's own snapshots (never git), confined to the workspace.
    rewind: async (session, turn, scope) => {
      const { rewindSession, SnapshotStore } = await import("@codetether/tools");
      return rewindSession(session, turn, {
        scope,
        snapshots: new SnapshotStore(path.join(dataDir(io.env), "snapshots")),
        policy: { roots: [runtime.workspaceRoot] },
      });
    },
    // Custom commands/agents: the user's config dir and this project's `.codetether/` (agents only narrow tools).
    customCommands: async () => (await loadCustomCommands(customDirs)).commands,
    customAgents: async () => (await loadCustomAgents(customDirs)).agents,
    createAgent: ({ agent: custom, ...input }) => {
      const agentTools = custom ? agentToolRegistry(tools, custom) : tools;
      return runtime.createAgent({
        ...input,
        tools: agentTools,
        cwd,
        workspaceRoot: runtime.workspaceRoot,
        ...settings,
        ...(custom ? { systemPrompt: custom.systemPrompt } : {}),
        store: runtime.store,
        ...(routerFor ? { onResponse: routerFor(input.modelInfo) } : {}),
        ask: bridge.ask,
        services: {
          gate,
          provider: input.provider,
          model: input.model,
          tools: agentTools,
          store: runtime.store,
        },
      });
    },
  });
}

/**
 * The tool-router hook for each agent the TUI builds (one per model switch or new session): whether routing is
 * needed depends on the agent's model. Built on the agent's first answer, so a load error surfaces in that turn;
 * the router's model itself is shared by every hook (tool-router's shared model host). Undefined when the router
 * is off.
 */
function toolRouterPerAgent(runtime: Runtime): ((info: ModelInfo | undefined) => ResponseHook) | undefined {
  if (!runtime.loaded.config.tool_router.enabled) return undefined;
  return (info) => {
    let hook: Promise<ResponseHook | undefined> | undefined;
    return async (response, context) => {
      hook ??= runtime.toolRouterHook(info);
      const route = await hook;
      return route ? route(response, context) : response;
    };
  };
}
