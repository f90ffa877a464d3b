export { type AcpFileSystem, clientFileSystem } from "./acp-file-system.js";
export { createAcpFileTools } from "./acp-file-tools.js";
export { AcpSession, MODES, type ModeId } from "./acp-session.js";
export { CodetetherAcpAgent } from "./codetether-acp-agent.js";
export { EventTranslator, stopReasonFor, todosToPlan } from "./event-translator.js";
export { replayHistory } from "./history-replay.js";
export { type McpServerEntry, mcpServersToConfig } from "./mcp-servers.js";
export type { AcpAgentOptions, AgentDefaults, ResolvedModel } from "./options.js";
export {
  answerFor,
  createPermissionPrompt,
  PERMISSION_OPTIONS,
  PendingToolCalls,
} from "./permission-bridge.js";
export { promptToParts } from "./prompt-content.js";
export { listRegistryModels } from "./registry-models.js";
export { type AcpStreams, runAcpServer } from "./run-acp-server.js";
export { type AcpTerminals, clientTerminals, createTerminalBashTool } from "./terminal-bash.js";
export { toolDiffs, toolKind, toolLocations, toolTitle } from "./tool-call-info.js";
