/**
 * `@codetether/a2a/lite`: the parts of this package that load neither `@a2a-js/sdk` nor express, so a
 * server can start with them and load the A2A stack (`@codetether/a2a`) on the first request that needs it:
 * the agent card as plain data, the cognition engine and its request schemas, the conformance option check.
 */
export { CognitionEngine, type CognitionEngineOptions, ROOT_THINKER } from "./cognition/cognition-engine.js";
export * from "./cognition/cognition-types.js";
export { streamingTimeoutMs } from "./conformance/streaming-timeout.js";
export {
  type AgentCardOptions,
  BEARER_SCHEME_NAME,
  buildAgentCard,
  buildServiceCard,
  DEFAULT_SKILLS,
  MODEL_INPUT_MODES,
  PUBLIC_CARD_PATHS,
  type ServiceCardOptions,
  TEXT_INPUT_MODES,
} from "./server/agent-card.js";
