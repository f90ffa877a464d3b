// Public API of @codetether/providers. Export lines are added under `flock /tmp/providers-index.lock`.
export {};
export {
  type AnthropicProvider,
  type AnthropicProviderOptions,
  createAnthropicProvider,
} from "./anthropic-provider.js";
export { ANTHROPIC_DEFAULT_MODEL, ANTHROPIC_MODELS } from "./anthropic-models.js";
