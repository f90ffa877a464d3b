import path from "node:path";
import { nextStory } from "../prd/next-story.js";
import { loadPrd } from "../prd/prd-file.js";
import { lastIteration } from "./progress-log.js";

export interface StoryStatus {
  id: string;
  title: string;
  priority: number;
  complexity: number;
  passes: boolean;
  /** Dependencies not yet passed. */
  waitingOn: string[];
}

export interface RalphStatus {
  prdPath: string;
  project: string;
  feature: string;
  branch: string;
  total: number;
  passed: number;
  next?: string;
  iterations: number;
  stories: StoryStatus[];
}

/** Per-story progress of a PRD, from prd.json and progress.txt. */
export async function ralphStatus(prdPath: string, progressPath?: string): Promise<RalphStatus> {
  const prd = await loadPrd(prdPath);
  const passed = new Set(prd.user_stories.filter((s) => s.passes).map((s) => s.id));
  const next = nextStory(prd);
  return {
    prdPath: path.resolve(prdPath),
    project: prd.project,
    feature: prd.feature,
    branch: prd.branch_name,
    total: prd.user_stories.length,
    passed: passed.size,
    ...(next ? { next: next.id } : {}),
    iterations: await lastIteration(
      progressPath ?? path.join(path.dirname(path.resolve(prdPath)), "progress.txt"),
    ),
    stories: prd.user_stories.map((s) => ({
      id: s.id,
      title: s.title,
      priority: s.priority,
      complexity: s.complexity,
      passes: s.passes,
      waitingOn: s.depends_on.filter((d) => !passed.has(d)),
    })),
  };
}

/** Human-readable status: one line per story. */
export function formatRalphStatus(status: RalphStatus): string {
  const lines = [
    `${status.project} — ${status.feature}${status.branch ? ` (branch ${status.branch})` : ""}`,
    `${status.passed}/${status.total} stories pass · ${status.iterations} iterations logged${status.next ? ` · next: ${status.next}` : ""}`,
    "",
  ];
  for (const s of status.stories) {
    const mark = s.passes ? "[x]" : s.waitingOn.length ? "[-]" : "[ ]";
    const wait = !s.passes && s.waitingOn.length ? `  (waiting on ${s.waitingOn.join(", ")})` : "";
    lines.push(`${mark} ${s.id}  P${s.priority}  ${s.title}${wait}`);
  }
  return lines.join("\n");
}
