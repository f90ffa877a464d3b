export { loadDescription } from "./util/description.js";
export { applyPatchParameters, applyPatchTool } from "./apply_patch.js";
export { editParameters, editTool } from "./edit.js";
export { globParameters, globTool } from "./glob.js";
export { listParameters, listTool } from "./list.js";
export { multieditParameters, multieditTool } from "./multiedit.js";
export { readParameters, readTool } from "./read.js";
export { type ChangeSet, type FileSnapshot, SnapshotStore } from "./util/snapshot-store.js";
export { writeParameters, writeTool } from "./write.js";
