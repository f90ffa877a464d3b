// Build-time entry: renders the root help snapshot that bin.ts prints for `codetether --help`.

import { buildRootHelpSnapshot, type RootHelpSnapshot } from "./help/root-help-snapshot.js";
import { buildProgram } from "./main.js";

export function rootHelpSnapshot(version: string): RootHelpSnapshot {
  return buildRootHelpSnapshot(() => buildProgram(version).program, version);
}
