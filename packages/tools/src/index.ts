export { applyPatchParameters, applyPatchTool } from "./apply_patch.js";
export { bashParameters, bashTool } from "./bash.js";
export { batchParameters, createBatchTool } from "./batch.js";
export { codesearchParameters, codesearchTool } from "./codesearch.js";
export {
  createDefaultTools,
  createToolRegistry,
  type DefaultToolsOptions,
  type ToolRegistryFactoryOptions,
} from "./default-tools.js";
export { editParameters, editTool } from "./edit.js";
export { globParameters, globTool } from "./glob.js";
export { createGrepTool, type GrepToolOptions, grepParameters, grepTool } from "./grep.js";
export { createImageTool, type ImageToolOptions, imageParameters, imageTool } from "./image.js";
export { createInvalidTool, invalidParameters, invalidTool } from "./invalid.js";
export { listParameters, listTool } from "./list.js";
export * from "./lsp/index.js";
export * from "./mcp/index.js";
export { multieditParameters, multieditTool } from "./multiedit.js";
export { planEnterParameters, planEnterTool } from "./plan_enter.js";
export { planExitParameters, planExitTool } from "./plan_exit.js";
export { questionParameters, questionTool } from "./question.js";
export { readParameters, readTool } from "./read.js";
export {
  formatReadWindow,
  READ_DEFAULT_LIMIT,
  type ReadWindow,
  type ReadWindowStats,
} from "./read-window.js";
export { SAFE_DEFAULT_RULES, safeDefaultGate } from "./safe-gate.js";
export { createSkillTool, type SkillToolOptions, skillParameters, skillTool } from "./skill.js";
export { createTaskTool, type TaskToolOptions, taskParameters, taskTool } from "./task.js";
export { todoreadParameters, todoreadTool } from "./todoread.js";
export { todowriteParameters, todowriteTool } from "./todowrite.js";
export { undoParameters, undoTool } from "./undo.js";
export {
  AttachmentError,
  type AttachmentOptions,
  readAttachment,
  readAttachments,
} from "./util/attachments.js";
export { loadDescription } from "./util/description.js";
export { applyFileChanges, type FileChange, snapshotStore } from "./util/file-changes.js";
export type { PlanModeGate } from "./util/plan-mode.js";
export {
  callIdsAfterTurn,
  type RewindResult,
  type RewindScope,
  rewindSession,
} from "./util/rewind.js";
export type { SandboxLaunch, SandboxService } from "./util/services.js";
export { discoverSkills, type Skill } from "./util/skills.js";
export { type ChangeSet, type FileSnapshot, SnapshotStore } from "./util/snapshot-store.js";
export { type Todo, TodoSchema } from "./util/todo-store.js";
export * from "./web/index.js";
export { writeParameters, writeTool } from "./write.js";
