export { Agent, type AgentOptions, type BeforeStepHook, type ResponseHook } from "./agent/agent.js";
export type { AgentEvent, TurnEndReason } from "./agent/agent-event.js";
export {
  type AgentHooks,
  type HookEvent,
  type HookEventName,
  type HookOutcome,
  hookContextText,
  MAX_STOP_HOOK_CONTINUES,
  toolHooksOnly,
} from "./agent/agent-hooks.js";
export { findGitRoot, type InstructionFile, loadAgentsMd } from "./agent/agents-md.js";
export { callerTools } from "./agent/caller-tools.js";
export {
  parseStreamInputLine,
  StreamInputError,
  StreamInputLineSchema,
  type StreamInputTurn,
  type UserPart,
} from "./agent/stream-input.js";
export { buildSystemPrompt } from "./agent/system-prompt.js";
export { noToolModel, type ToolModel, toolModel } from "./agent/tool-model.js";
export {
  ConfigError,
  type ConfigLayer,
  describeIssues,
  findProjectConfig,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  mergeLayers,
  type ProjectTrust,
  resolveProjectTrust,
  userConfigFile,
} from "./config/config-loader.js";
export {
  type Config,
  ConfigSchema,
  type HookConfig,
  HookConfigSchema,
  type HooksConfig,
  HooksConfigSchema,
  type McpServerConfig,
  McpServerConfigSchema,
  type ProviderConfig,
  ProviderConfigSchema,
  type SandboxPolicyConfig,
  SandboxPolicySchema,
  type ShellEnvironmentPolicyConfig,
  ShellEnvironmentPolicySchema,
} from "./config/config-schema.js";
export { ENV_KEYS, envOverrides } from "./config/env-overrides.js";
export { isTable, leafEntries, setKeyPath } from "./config/key-paths.js";
export { filterUntrustedProject, type IgnoredKey } from "./config/project-trust-policy.js";
export {
  type FileApproval,
  type FileTrustCheck,
  fileApproval,
  folderTrust,
  listTrustDecisions,
  projectFolder,
  realFolder,
  setFolderTrust,
  type TrustDecision,
  type TrustEntry,
  trustedFileCheck,
  trustStoreFile,
} from "./config/project-trust-store.js";
export { describeUnknownKeys, findUnknownKeys, type UnknownKey } from "./config/unknown-keys.js";
// Context management: token counting and compaction.
export * from "./context/index.js";
// Opt-in crash reports (telemetry.crash_reporting).
export * from "./crash/index.js";
export { AgentGate, agentToolRegistry } from "./custom/agent-gate.js";
export { agentToolIds, type CustomAgent, loadCustomAgents } from "./custom/custom-agents.js";
export {
  type CustomCommand,
  expandCommand,
  loadCustomCommands,
  splitArguments,
} from "./custom/custom-commands.js";
export { type FrontMatterValue, parseFrontMatter } from "./custom/front-matter.js";
export type { DefinitionDirs, DefinitionSource } from "./custom/markdown-defs.js";
export * from "./messages.js";
export {
  type DownloadProgress,
  downloadProgressPrinter,
  type GgufModelFileOptions,
  isRemoteModelSpec,
  ModelFileError,
  type ModelFileResolver,
  resolveGgufModelFile,
} from "./model-file/gguf-model-file.js";
export {
  type InstallLlamaRuntimeOptions,
  installLlamaRuntime,
  LlamaRuntimeInstallError,
  type LlamaRuntimeProgress,
  manualInstallCommand,
  npmRegistry,
} from "./model-file/llama-runtime-install.js";
export {
  type LlamaRuntimeManifest,
  LlamaRuntimeMissingError,
  type LoadedLlamaRuntime,
  llamaRuntimeDir,
  llamaRuntimeEntry,
  loadNodeLlamaCpp,
  readLlamaRuntimeManifest,
} from "./model-file/llama-runtime-location.js";
export {
  detectGpuBuild,
  LLAMA_CPP_VERSION,
  LLAMA_GPU_BUILDS,
  LLAMA_RUNTIME_INTEGRITY,
  type LlamaGpuBuild,
  type LlamaRuntimePackage,
  type LlamaRuntimePlan,
  LlamaRuntimePlanError,
  type LlamaRuntimePlanOptions,
  llamaRuntimePlan,
  planSpecs,
} from "./model-file/llama-runtime-plan.js";
export * from "./model-info.js";
export * from "./net/index.js";
export type {
  PermissionAction,
  PermissionDecision,
  PermissionGate,
  PermissionRequest,
  PermissionState,
} from "./permission/permission-gate.js";
export {
  evaluateRules,
  type PermissionRule,
  PermissionRuleSchema,
  type RuleTarget,
  ruleMatches,
  ruleMatchesTool,
} from "./permission/permission-rule.js";
export { protectedProjectPathReason } from "./permission/protected-project-paths.js";
export {
  type AutoApprove,
  type PermissionAnswer,
  type PermissionPrompt,
  RuleGate,
  type RuleGateOptions,
  type ToolStanding,
} from "./permission/rule-gate.js";
export { toolFilePolicy } from "./permission/tool-file-policy.js";
export { isInside, isInsideAny, realpathLoose } from "./permission/workspace-confinement.js";
export type { ChatRequest, JsonSchema, ToolDefinition } from "./provider/chat-request.js";
export { type CollectedResponse, collectStream, ResponseAccumulator } from "./provider/collect.js";
export { type CompleteWithRetryOptions, completeWithRetry } from "./provider/complete-with-retry.js";
export type { Provider } from "./provider/provider.js";
export {
  errorKindForStatus,
  ProviderError,
  type ProviderErrorKind,
  type ProviderErrorOptions,
  parseRetryAfter,
} from "./provider/provider-error.js";
export { ProviderRegistry } from "./provider/provider-registry.js";
export type { FinishReason, StreamChunk } from "./provider/stream-chunk.js";
export { warmProvider } from "./provider/warm-provider.js";
export {
  createSession,
  newSessionId,
  type Session,
  SessionSchema,
  titleFromPrompt,
} from "./session/session.js";
export {
  exportSession,
  importSession,
  type Redactor,
  type SessionExport,
  SessionExportSchema,
  SessionImportError,
} from "./session/session-export.js";
export { type ForkOrigin, forkSession } from "./session/session-fork.js";
export {
  type ClaimOptions,
  describeHolder,
  type SessionClaim,
  type SessionHolder,
  SessionInUseError,
} from "./session/session-lock.js";
export { type SessionStats, sessionStats, type UsageTotals } from "./session/session-stats.js";
export { SessionConflictError, SessionStore, type SessionSummary } from "./session/session-store.js";
export { countTurns, endOfTurn, turnStarts } from "./session/session-turns.js";
export {
  defineTool,
  type Tool,
  type ToolCallRequest,
  type ToolContext,
  type ToolKind,
  type ToolProgressEvent,
  type ToolResult,
  type UserQuestion,
} from "./tool/tool.js";
export { formatToolInventory, type ToolInventoryRow, toolInventory } from "./tool/tool-inventory.js";
export {
  computeJsonSchema,
  type ToolJsonSchema,
  toJsonSchema,
  withJsonSchema,
} from "./tool/tool-json-schema.js";
export { ToolRegistry, type ToolRegistryOptions } from "./tool/tool-registry.js";
export * from "./usage.js";
export { abortError, isAbortError, sleep } from "./util/abort.js";
export { type AtomicWriteOptions, writeFileAtomic } from "./util/atomic-write.js";
export { closestNames, editDistance } from "./util/closest-names.js";
export {
  type ConfinedWriteOptions,
  ConfinementError,
  type ConfinementPolicy,
  openFileConfined,
  readFileConfined,
  removeFileConfined,
  writeFileConfined,
} from "./util/confined-file.js";
export { EventChannel } from "./util/event-channel.js";
export { onProcessExit } from "./util/exit-cleanup.js";
export { withFileLocks } from "./util/file-lock.js";
export { allowGitHooksIn, type GitResult, git, gitAddAll, gitOk, gitSafetyArgs } from "./util/git.js";
export { lazySchema, lazySchemaBuilds } from "./util/lazy-schema.js";
export { killGroup, terminateGroup, trackGroup } from "./util/process-group.js";
export { backoffDelay } from "./util/retry.js";
export { Semaphore } from "./util/semaphore.js";
export { cleanOrphanTempFiles, processAlive } from "./util/temp-files.js";
export { TempFileJournal } from "./util/temp-journal.js";
export {
  escapeControls,
  revealPadding,
  sanitizeTerminalText,
  sanitizeTerminalValue,
  toJsonText,
} from "./util/terminal-text.js";
export { cacheDir, configDir, dataDir } from "./util/xdg-paths.js";
