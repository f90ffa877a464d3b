export {
  type BuildCrashReportOptions,
  buildCrashReport,
  type CrashReport,
  CrashReportSchema,
} from "./crash-report.js";
export { type SendCrashReportOptions, sendCrashReport } from "./crash-send.js";
export {
  crashNotice,
  crashReportsDir,
  markCrashReportsSeen,
  readCrashReport,
  unseenCrashReports,
  writeCrashReport,
} from "./crash-store.js";
export { type HandleCrashOptions, type HandleCrashResult, handleCrash } from "./handle-crash.js";
export { redactSecrets } from "./redact-crash.js";
