export {
  encodeBedrockEvent,
  encodeBedrockException,
  type FakeBedrockServer,
  type FakeBedrockServerOptions,
  startFakeBedrockServer,
} from "./bedrock-fake-server.js";
export {
  type BedrockScriptedError,
  type BedrockScriptedReply,
  type BedrockScriptedResponse,
  bedrockEvents,
  type RecordedBedrockRequest,
} from "./bedrock-script.js";
