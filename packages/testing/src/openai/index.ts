export {
  argumentsText,
  completionObject,
  errorBody,
  splitArguments,
  splitText,
  streamEvents,
} from "./chat-wire.js";
export { loadScriptFile, main, type ScriptedOpenAIMainIO } from "./main.js";
export {
  type RecordedRequest,
  type ScriptedDisconnect,
  ScriptedDisconnectSchema,
  type ScriptedHang,
  type ScriptedHttpError,
  type ScriptedResponse,
  type ScriptedToolCall,
  type ScriptedTurn,
  type ScriptedTurnData,
  ScriptedTurnDataSchema,
  type ScriptedUsage,
  ScriptFileSchema,
} from "./script.js";
export { type ScriptedOpenAI, type ScriptedOpenAIOptions, startScriptedOpenAI } from "./scripted-openai.js";
