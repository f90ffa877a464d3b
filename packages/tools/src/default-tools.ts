import type { NetworkPolicy, PermissionGate, Tool } from "@codetether/core";
import { ToolRegistry } from "@codetether/core";
import { applyPatchTool } from "./apply_patch.js";
import { bashTool } from "./bash.js";
import { createBatchTool } from "./batch.js";
import { codesearchTool } from "./codesearch.js";
import { editTool } from "./edit.js";
import { globTool } from "./glob.js";
import { createGrepTool } from "./grep.js";
import { createImageTool } from "./image.js";
import { createInvalidTool } from "./invalid.js";
import { listTool } from "./list.js";
import { createLspTool } from "./lsp/lsp.js";
import type { LspManager } from "./lsp/lsp-manager.js";
import { multieditTool } from "./multiedit.js";
import { planEnterTool } from "./plan_enter.js";
import { planExitTool } from "./plan_exit.js";
import { questionTool } from "./question.js";
import { readTool } from "./read.js";
import { safeDefaultGate } from "./safe-gate.js";
import { createSkillTool } from "./skill.js";
import { createTaskTool, type TaskToolOptions } from "./task.js";
import { todoreadTool } from "./todoread.js";
import { todowriteTool } from "./todowrite.js";
import { undoTool } from "./undo.js";
import { createWebTools, type WebToolsOptions } from "./web/index.js";
import { writeTool } from "./write.js";

export interface DefaultToolsOptions {
  /** Registry `batch`, `task` and `invalid` work against (set by {@link createToolRegistry}). */
  registry?: () => ToolRegistry | undefined;
  /** ripgrep path, or false to force the JS grep engine (default: `rg` on PATH). */
  ripgrep?: string | false;
  /** Sub-agents of `task`: provider/model default to the parent agent's. */
  task?: Pick<
    TaskToolOptions,
    "provider" | "model" | "store" | "maxSteps" | "resolveModel" | "projectTrusted"
  >;
  /** User config dir for `skill` (default: XDG config dir). */
  userConfigDir?: string;
  /** Tool ids to leave out (e.g. ["question"] for non-interactive hosts). */
  exclude?: string[];
  /**
   * Language servers for the `lsp` tool; the host owns it and calls `dispose()` on shutdown (servers are
   * child processes). Without one, `lsp` is left out.
   */
  lsp?: LspManager;
  /** Options for `webfetch`/`websearch` (e.g. a search backend); `false` leaves both out. */
  web?: WebToolsOptions | false;
  /**
   * Non-public addresses `webfetch`, `websearch` and `image` may reach (the `[network] allow` config key);
   * by default they reach public addresses only.
   */
  network?: NetworkPolicy;
  /** More tools (MCP, LSP, web, orchestration) to add; a tool with a built-in's id replaces it. */
  extraTools?: Tool[];
}

/** Every built-in tool, ready to register. */
export function createDefaultTools(options: DefaultToolsOptions = {}): Tool[] {
  const registry = options.registry;
  const tools: Tool[] = [
    readTool,
    writeTool,
    listTool,
    globTool,
    createGrepTool(options.ripgrep !== undefined ? { ripgrep: options.ripgrep } : {}),
    codesearchTool,
    editTool,
    multieditTool,
    applyPatchTool,
    bashTool,
    createBatchTool(registry),
    createTaskTool({ ...options.task, ...(registry ? { registry } : {}) }),
    todoreadTool,
    todowriteTool,
    questionTool,
    createSkillTool(options.userConfigDir ? { userConfigDir: options.userConfigDir } : {}),
    planEnterTool,
    planExitTool,
    createImageTool(options.network ? { network: options.network } : {}),
    undoTool,
    createInvalidTool(registry ? () => registry()?.ids() ?? [] : undefined),
    ...(options.lsp ? [createLspTool(options.lsp)] : []),
    ...(options.web === false
      ? []
      : createWebTools({ ...(options.network ? { network: options.network } : {}), ...options.web })),
  ] as Tool[];
  const extra = options.extraTools ?? [];
  const replaced = new Set(extra.map((t) => t.id));
  const excluded = new Set(options.exclude ?? []);
  return [...tools.filter((t) => !replaced.has(t.id)), ...extra].filter((t) => !excluded.has(t.id));
}

export interface ToolRegistryFactoryOptions extends Omit<DefaultToolsOptions, "registry"> {
  /**
   * Permission gate (core `RuleGate`): rules, plan mode, workspace confinement. Default: {@link safeDefaultGate}
   * (read-only tools run; write and exec tools ask, which refuses when nobody can answer).
   */
  gate?: PermissionGate;
}

/** A registry holding every built-in tool, with `batch`/`task`/`invalid` bound to it. */
export function createToolRegistry(options: ToolRegistryFactoryOptions = {}): ToolRegistry {
  const registry = new ToolRegistry({ gate: options.gate ?? safeDefaultGate() });
  registry.register(...createDefaultTools({ ...options, registry: () => registry }));
  return registry;
}
