// Public API of @codetether/runtime: the one composition every codetether entry point takes its agent from.
export { agentSettings } from "./agent-settings.js";
export type { CodeIntegrations } from "./code-integrations.js";
export { collectKnownSecrets } from "./collect-known-secrets.js";
export {
  createRuntime,
  modelChoice,
  modelDeps,
  type Runtime,
  type RuntimeOptions,
  type ToolSetOptions,
} from "./create-runtime.js";
export { KnownSecrets } from "./known-secrets.js";
export { loadRuntimeConfig } from "./load-config.js";
export { RedactingAgent } from "./redacting-agent.js";
export { RedactingSessionStore } from "./redacting-session-store.js";
export { isRuntimeError, RuntimeError, type RuntimeErrorKind } from "./runtime-error.js";
export type { PermissionDecisionEvent, SecurityWiring, SecurityWiringOptions } from "./security-wiring.js";
