export {
  firstUserText,
  lastMessage,
  SCRIPTED_USAGE,
  type ScriptedCall,
  textReply,
  toolCallReply,
  toolCallsReply,
} from "./chunks.js";
export {
  createScriptedProvider,
  type ScriptedProvider,
  type ScriptedProviderOptions,
  type ScriptedResponder,
  type ScriptedStep,
} from "./scripted-provider.js";
