export {
  findExecutable,
  LANGUAGES,
  type LanguageSpec,
  type LspLanguage,
  languageFor,
  projectRoot,
  resolveServer,
  type ServerCommand,
} from "./language-servers.js";
export { createLspTool } from "./lsp.js";
export { LspClient, type LspClientOptions } from "./lsp-client.js";
export { LspManager, type LspManagerOptions, type LspSession, LspUnavailableError } from "./lsp-manager.js";
