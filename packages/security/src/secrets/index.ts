// `@codetether/security/secrets`: the secret stores and redaction alone (what providers need).
export { REDACTED, redactSecrets, redactText } from "../redact/redact-secrets.js";
export { type ConfigSetProviderOptions, configSetProvider } from "./config-set-provider.js";
export {
  type CreateSecretStoreOptions,
  createSecretStore,
  LayeredSecretStore,
} from "./create-secret-store.js";
export { EnvSecretStore } from "./env-secret-store.js";
export { FileSecretStore, SECRETS_FILE } from "./file-secret-store.js";
export {
  checkProviderName,
  type ProviderSecret,
  ProviderSecretSchema,
  type SecretStore,
} from "./secret-store.js";
export { VaultSecretStore, type VaultSecretStoreOptions } from "./vault-secret-store.js";
