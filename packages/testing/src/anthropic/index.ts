export {
  type FakeAnthropicServer,
  type FakeAnthropicServerOptions,
  startFakeAnthropicServer,
} from "./anthropic-fake-server.js";
export {
  type AnthropicScriptedError,
  type AnthropicScriptedMessage,
  type AnthropicScriptedReply,
  anthropicEvents,
  type RecordedAnthropicRequest,
} from "./anthropic-script.js";
