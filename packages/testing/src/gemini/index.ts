export {
  type FakeGeminiServer,
  type FakeGeminiServerOptions,
  startFakeGeminiServer,
} from "./gemini-fake-server.js";
export {
  type GeminiScriptedError,
  type GeminiScriptedReply,
  type GeminiScriptedResponse,
  geminiChunks,
  geminiErrorBody,
  type RecordedGeminiRequest,
} from "./gemini-script.js";
