export {
  type AuditQueryCommandOptions,
  auditQuery,
  auditVerify,
  defaultAuditDir,
} from "./audit/audit-commands.js";
export { AuditLog, type AuditLogOptions, type FsyncPolicy } from "./audit/audit-log.js";
export {
  type AuditQuery,
  type AuditQueryResult,
  AuditQuerySchema,
  auditQueryFromSearchParams,
  queryAuditDir,
} from "./audit/audit-query.js";
export {
  type AuditEntry,
  type AuditOutcome,
  type AuditRecord,
  AuditRecordSchema,
  GENESIS_HASH,
  hashRecord,
} from "./audit/audit-record.js";
export { type AuditProblem, type AuditVerifyResult, verifyAuditDir } from "./audit/audit-verify.js";
export { canonicalJson } from "./audit/canonical-json.js";
export {
  type BearerAuthMiddleware,
  type BearerAuthOptions,
  type BearerDecision,
  type BearerFailure,
  type BearerRequest,
  bearerAuth,
  type ConnectMiddleware,
  tokensEqual,
} from "./auth/bearer-auth.js";
export {
  FailedAuthAudit,
  type FailedAuthAuditOptions,
  type FailedAuthReason,
} from "./auth/failed-auth-audit.js";
export { FailureRateLimiter, type RateLimitOptions } from "./auth/failure-rate-limiter.js";
export {
  AUTH_TOKEN_FILE,
  generateAuthToken,
  type ResolveAuthTokenOptions,
  type ResolvedAuthToken,
  resolveAuthToken,
} from "./auth/resolve-auth-token.js";
export {
  applyShellEnvPolicy,
  CORE_ENV,
  DEFAULT_ENV_EXCLUDES,
  describeShellEnvPolicy,
  envPatternMatches,
} from "./env-policy/shell-env-policy.js";
export { type BuiltinManifestOptions, signBuiltinToolsManifest } from "./manifest/builtin-manifest.js";
export {
  type LoadedPlugin,
  type LoadPluginToolsOptions,
  type LoadPluginToolsResult,
  loadPluginTools,
  type RefusedPlugin,
} from "./manifest/load-plugin-tools.js";
export { type SignedManifest, signManifest } from "./manifest/sign-manifest.js";
export {
  decodePrivateKey,
  decodePublicKey,
  generateKeyPair,
  keyFingerprint,
  PUBLIC_KEY_PREFIX,
  type SigningKeyPair,
} from "./manifest/signing-keys.js";
export {
  MANIFEST_FILE,
  type ManifestSignature,
  ManifestSignatureSchema,
  SIGNATURE_FILE,
  type ToolManifest,
  type ToolManifestDraft,
  ToolManifestSchema,
  ToolPermissionSchema,
} from "./manifest/tool-manifest.js";
export {
  type CommandIo,
  defaultSigningKeyFile,
  toolsKeygen,
  toolsSign,
  toolsTrust,
  toolsVerify,
} from "./manifest/tools-commands.js";
export {
  addTrustedKey,
  readTrustStore,
  TRUST_STORE_FILE,
  type TrustedKeyEntry,
  trustedKeys,
  trustStorePath,
} from "./manifest/trust-store.js";
export { type ToolDirVerification, verifyToolDir } from "./manifest/verify-tool-dir.js";
export { REDACTED, redactKnownSecrets, redactSecrets, redactText } from "./redact/redact-secrets.js";
export {
  createSandbox,
  DEFAULT_ENV_ALLOW,
  type Sandbox,
  type SandboxOptions,
  type WrapOptions,
  type WrappedCommand,
} from "./sandbox/create-sandbox.js";
export { parseSize } from "./sandbox/parse-size.js";
export { DEFAULT_MAX_PROCESSES } from "./sandbox/resource-limits.js";
export { probeSandboxCapabilities, type SandboxCapabilities } from "./sandbox/sandbox-capabilities.js";
export { sandboxForTool, sandboxPolicyFor, withSecureDefaults } from "./sandbox/sandbox-for-tool.js";
export { type ConfigSetProviderOptions, configSetProvider } from "./secrets/config-set-provider.js";
export {
  type CreateSecretStoreOptions,
  createSecretStore,
  LayeredSecretStore,
} from "./secrets/create-secret-store.js";
export { EnvSecretStore } from "./secrets/env-secret-store.js";
export { FileSecretStore, SECRETS_FILE } from "./secrets/file-secret-store.js";
export {
  checkProviderName,
  type ProviderSecret,
  ProviderSecretSchema,
  type SecretStore,
} from "./secrets/secret-store.js";
export { VaultSecretStore, type VaultSecretStoreOptions } from "./secrets/vault-secret-store.js";
