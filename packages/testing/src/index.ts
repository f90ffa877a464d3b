// Public API of @codetether/testing. Each fake server lives under src/<area>/ and adds its export line here
// (under `flock /tmp/testing-index.lock`).

export * from "./anthropic/index.js";
export * from "./bedrock/index.js";
export * from "./gemini/index.js";
export * from "./gguf/index.js";
export * from "./github/index.js";
export * from "./http/index.js";
export { FakeKubeApi } from "./kubernetes/fake-kube-api.js";
export * from "./openai/index.js";
export * from "./provider/index.js";
export { renderToolJsonSchemaModule } from "./tool/tool-json-schema-module.js";
