// Public API of @codetether/providers. Export lines are added under `flock /tmp/providers-index.lock`.

export { ANTHROPIC_DEFAULT_MODEL, ANTHROPIC_MODELS } from "./anthropic/anthropic-models.js";
export {
  type AnthropicProvider,
  type AnthropicProviderOptions,
  createAnthropicProvider,
} from "./anthropic/anthropic-provider.js";
export {
  BEDROCK_DEFAULT_MODEL,
  BEDROCK_MODELS,
  regionGroup,
  resolveBedrockModelId,
} from "./bedrock/bedrock-models.js";
export {
  type BedrockCredentials,
  type BedrockProvider,
  type BedrockProviderOptions,
  createBedrockProvider,
} from "./bedrock/bedrock-provider.js";
export { catalogModels, lookupModel, MODEL_CATALOG, withOverrides } from "./catalog.js";
export {
  type CommandIO,
  type CopilotAuthOptions,
  type ModelsCommandOptions,
  runCopilotAuthCommand,
  runModelsCommand,
} from "./cli-commands.js";
export {
  type CopilotDeviceFlowOptions,
  type DeviceCode,
  type GitHubOAuthToken,
  runCopilotDeviceFlow,
} from "./copilot/copilot-device-flow.js";
export {
  COPILOT_DEFAULT_MODEL,
  COPILOT_HEADERS,
  type CopilotProviderOptions,
  type CopilotToken,
  createCopilotProvider,
  exchangeCopilotToken,
} from "./copilot/github-copilot.js";
export {
  COPILOT_ENV_KEYS,
  type CreateProviderRegistryOptions,
  createProviderRegistry,
  type ProviderSecret,
  type SecretLookup,
} from "./create-registry.js";
export { defaultModelFor, PROVIDER_PREFERENCE, providerDefaultModel } from "./default-model.js";
export { GOOGLE_DEFAULT_MODEL, GOOGLE_MODELS } from "./google/google-models.js";
export {
  createGoogleProvider,
  type GoogleProvider,
  type GoogleProviderOptions,
} from "./google/google-provider.js";
export {
  assumeYes,
  describeRuntimeInstall,
  runtimeConsentMessage,
  runtimeProgressPrinter,
} from "./local/llama-runtime-setup.js";
export { type DownloadProgress, LOCAL_DEFAULT_MODEL } from "./local/local-model-source.js";
export {
  createLocalProvider,
  type LocalProvider,
  type LocalProviderOptions,
} from "./local/local-provider.js";
export { type LocalPullOptions, runLocalPullCommand } from "./local/local-pull-command.js";
export {
  type CreateProvider,
  type LoadModuleProvidersOptions,
  loadModuleProviders,
  type ProviderModuleOptions,
} from "./module-providers.js";
export {
  DEFAULT_PROTOCOLS,
  type NativeProtocol,
  type NativeProtocolName,
  type NativeProviderSettings,
} from "./native-protocols.js";
export {
  createOpenAICompatibleProvider,
  type OpenAICompatibleOptions,
  type OpenAICompatibleProvider,
  type OpenAICredentials,
} from "./openai/openai-compatible.js";
export { type ErrorContext, redact, toProviderError } from "./openai/openai-errors.js";
export {
  alnum9ToolCallId,
  type OpenAIRequestQuirks,
  toOpenAIMessages,
  toOpenAIParams,
} from "./openai/openai-messages.js";
export { mapOpenAIStream, toFinishReason, toUsage } from "./openai/openai-stream.js";
export { resolveProjectModule } from "./resolve-project-module.js";
export { noProviderConfiguredMessage, providerKeyHint } from "./setup-help.js";
export { VENDOR_ALIASES, VENDOR_PRESETS, type VendorPreset, vendorPreset } from "./vendors.js";
