export type { CommandIO, RalphCommandDeps } from "./cli/command-io.js";
export { createPrdCommand, ralphStatusCommand, runRalphCommand } from "./cli/ralph-commands.js";
export { branchFor, type CreatePrdOptions, createPrd } from "./prd/create-prd.js";
export { nextStory, readyStories } from "./prd/next-story.js";
export { loadPrd, savePrd } from "./prd/prd-file.js";
export {
  CHECK_ORDER,
  type CheckName,
  type Prd,
  PrdSchema,
  type QualityChecks,
  QualityChecksSchema,
  type UserStory,
  UserStorySchema,
} from "./prd/prd-schema.js";
export { dependencyIssues, PrdError, parsePrd, validatePrd } from "./prd/prd-validate.js";
export { appendProgress, lastIteration, readProgressTail } from "./run/progress-log.js";
export {
  type CheckResult,
  type CommandSandbox,
  isCommandSandbox,
  runCheck,
  runQualityChecks,
} from "./run/quality-checks.js";
export { formatRalphStatus, type RalphStatus, ralphStatus, type StoryStatus } from "./run/ralph-status.js";
export type { RalphEvent, RalphOptions, RalphResult, RalphStatusKind } from "./run/ralph-types.js";
export { runRalph } from "./run/run-ralph.js";
export { buildStoryPrompt, RALPH_SYSTEM_PROMPT } from "./run/story-prompt.js";
export { createPrdTool } from "./tools/prd-tool.js";
export { createRalphTool } from "./tools/ralph-tool.js";
