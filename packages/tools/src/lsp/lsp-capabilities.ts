import type { ClientCapabilities } from "vscode-languageserver-protocol";

/** What this client understands; kept minimal so servers answer in the simplest shapes. */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ["utf-16"] },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false, willSave: false },
    definition: { linkSupport: true },
    implementation: { linkSupport: true },
    references: {},
    hover: { contentFormat: ["markdown", "plaintext"] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    completion: { completionItem: { snippetSupport: false, documentationFormat: ["plaintext", "markdown"] } },
    publishDiagnostics: { versionSupport: true, relatedInformation: false },
  },
  workspace: { symbol: {}, workspaceFolders: true, configuration: true },
  window: { workDoneProgress: true },
};
