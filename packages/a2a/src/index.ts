// Everything of `@codetether/a2a/lite` (card, cognition engine, conformance option), plus the A2A stack.

export { type A2ASendCommandOptions, type CommandIO, runA2ASendCommand } from "./client/a2a-send-command.js";
export {
  A2AAuthError,
  type A2ABinding,
  type A2AClientEvent,
  type SendA2AMessageOptions,
  sendA2AMessage,
  TERMINAL_STATES,
} from "./client/send-message.js";
export { PersonaRegistry } from "./cognition/persona-registry.js";
export { ConformanceExecutor, type ConformanceExecutorOptions } from "./conformance/conformance-executor.js";
export { type Scenario, type ScenarioStep, scenarioFor, TCK_SCENARIOS } from "./conformance/tck-scenarios.js";
export {
  type AgentFactory,
  type AgentRunRequest,
  CodetetherExecutor,
  type CodetetherExecutorOptions,
} from "./executor/codetether-executor.js";
export { agentMessage, messageTextOf, partsToContent, textPart } from "./executor/parts.js";
export * from "./lite.js";
export {
  type A2AService,
  type A2AServiceOptions,
  createA2AService,
  INTERRUPTED_METADATA_KEY,
  principalUserBuilder,
  type StoppableExecutor,
} from "./server/a2a-service.js";
export { installClientErrorLogFilter, isExpectedClientError } from "./server/client-error-log.js";
export { FilePushNotificationStore } from "./server/file-push-store.js";
export { FileTaskStore } from "./server/file-task-store.js";
export {
  GuardedPushNotificationStore,
  GuardedPushSender,
  type GuardedPushSenderOptions,
} from "./server/guarded-push.js";
export {
  acceptedInputModes,
  assertAcceptedParts,
  InputModeCheckingRequestHandler,
  partMediaType,
} from "./server/input-mode-guard.js";
export { createSseTracker, type SseTracker } from "./server/sse-keepalive.js";
export {
  assertSafeWebhookUrl,
  isNonPublicAddress,
  type WebhookPolicy,
  WebhookRejectedError,
} from "./server/ssrf-guard.js";
export { type HeartbeatCognition, readCognitionForHeartbeat } from "./worker/cognition-share.js";
export {
  type Heartbeat,
  PlatformClient,
  PlatformError,
  type PlatformTask,
  parsePlatformTask,
  type Registration,
  type WorkerModel,
} from "./worker/platform-client.js";
export { newWorkerId, runWorker, type WorkerHandle, type WorkerOptions } from "./worker/run-worker.js";
export {
  a2aForwardRunner,
  type LocalRunnerOptions,
  limitToolsByAutoApprove,
  localAgentRunner,
  promptOf,
  type TaskRunContext,
  type TaskRunResult,
  type WorkerTaskRunner,
} from "./worker/task-runners.js";
export { runWorkerCommand, type WorkerCommandOptions } from "./worker/worker-command.js";
export { type CognitionShareConfig, cognitionShareConfig } from "./worker/worker-config.js";
export { sessionForTask } from "./worker/worker-sessions.js";
