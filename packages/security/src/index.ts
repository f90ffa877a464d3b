export { AuditLog, type AuditLogOptions, type FsyncPolicy } from "./audit/audit-log.js";
export {
  type AuditQuery,
  type AuditQueryResult,
  AuditQuerySchema,
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
  type BearerAuthOptions,
  bearerAuth,
  type ConnectMiddleware,
  tokensEqual,
} from "./auth/bearer-auth.js";
export { FailureRateLimiter, type RateLimitOptions } from "./auth/failure-rate-limiter.js";
export {
  AUTH_TOKEN_FILE,
  type ResolveAuthTokenOptions,
  type ResolvedAuthToken,
  resolveAuthToken,
} from "./auth/resolve-auth-token.js";
export { REDACTED, redactSecrets, redactText } from "./redact/redact-secrets.js";
