/**
 * The parts of `@codetether/swarm` and `@codetether/ralph` progress events the views read. Declared here
 * (structurally compatible with `SwarmEvent` / `RalphEvent` / `RalphStatus`) so the TUI does not depend on
 * those packages: the host passes their events straight through.
 */
export interface SwarmUsageLike {
  promptTokens: number;
  completionTokens: number;
}

export type SwarmProgressEvent =
  | { type: "started"; runId: string; task: string }
  | {
      type: "decomposed";
      subtasks: Array<{ id: string; name: string; stage: number; instruction: string }>;
      stages: number;
    }
  | { type: "stage-start"; stage: number }
  | { type: "subtask-start"; id: string }
  | { type: "subtask-tool"; id: string; tool: string }
  | {
      type: "subtask-end";
      result: {
        id: string;
        status: "completed" | "failed" | "cancelled" | "skipped";
        output: string;
        error?: string;
        durationMs: number;
        usage: SwarmUsageLike;
      };
    }
  | { type: "stage-end" }
  | { type: "merge" }
  | { type: "synthesizing" }
  | {
      type: "complete";
      result: { success: boolean; answer: string; error?: string; stats: { speedup: number } };
    }
  | { type: "error"; message: string };

export interface RalphStatusLike {
  prdPath: string;
  project: string;
  feature: string;
  branch: string;
  stories: Array<{ id: string; title: string; passes: boolean; waitingOn: string[] }>;
}

export type RalphProgressEvent =
  | { type: "started"; branch: string; remaining: number }
  | { type: "warning"; message: string }
  | { type: "iteration-start"; iteration: number; storyId: string; attempt: number }
  | { type: "agent"; storyId: string }
  | { type: "check"; storyId: string; result: { name: string; passed: boolean } }
  | { type: "story-end"; storyId: string; passed: boolean; commit?: string; reason?: string }
  | { type: "complete"; result: { status: string } };
