import { sanitizeTerminalText as clean } from "../view/sanitize.js";
import type {
  RalphProgressEvent as RalphEvent,
  RalphStatusLike as RalphStatus,
} from "./orchestration-events.js";

export interface RalphStoryView {
  id: string;
  title: string;
  passes: boolean;
  waitingOn: string[];
  state: "idle" | "running" | "passed" | "failed";
  attempt?: number;
  lastCheck?: string;
  note?: string;
}

export interface RalphView {
  prdPath: string;
  project: string;
  feature: string;
  branch: string;
  running: boolean;
  iteration?: number;
  stories: RalphStoryView[];
  log: string[];
  outcome?: string;
}

/** The Ralph view from a PRD's status (`ralphStatus`). */
export function ralphViewFromStatus(status: RalphStatus): RalphView {
  return {
    prdPath: clean(status.prdPath),
    project: clean(status.project),
    feature: clean(status.feature),
    branch: clean(status.branch),
    running: false,
    stories: status.stories.map((s) => ({
      id: s.id,
      title: clean(s.title),
      passes: s.passes,
      waitingOn: s.waitingOn,
      state: s.passes ? "passed" : "idle",
    })),
    log: [],
  };
}

function patchStory(view: RalphView, id: string, patch: Partial<RalphStoryView>): RalphStoryView[] {
  return view.stories.map((s) => (s.id === id ? { ...s, ...patch } : s));
}

/** A passed story no longer blocks the stories that depend on it. */
function unblock(view: RalphView, passedId: string | undefined): RalphView {
  if (!passedId) return view;
  return {
    ...view,
    stories: view.stories.map((s) => ({ ...s, waitingOn: s.waitingOn.filter((w) => w !== passedId) })),
  };
}

/** Folds one `@codetether/ralph` progress event into the view. */
export function applyRalphEvent(view: RalphView, event: RalphEvent): RalphView {
  const log = (line: string) => [...view.log, clean(line)].slice(-50);
  switch (event.type) {
    case "started":
      return {
        ...view,
        running: true,
        log: log(`started on ${event.branch}: ${event.remaining} stories left`),
      };
    case "iteration-start":
      return {
        ...view,
        iteration: event.iteration,
        stories: patchStory(view, event.storyId, { state: "running", attempt: event.attempt }),
        log: log(`iteration ${event.iteration}: ${event.storyId} (attempt ${event.attempt})`),
      };
    case "check":
      return {
        ...view,
        stories: patchStory(view, event.storyId, {
          lastCheck: `${event.result.name}: ${event.result.passed ? "pass" : "fail"}`,
        }),
      };
    case "story-end":
      return {
        ...view,
        stories: patchStory(unblock(view, event.passed ? event.storyId : undefined), event.storyId, {
          state: event.passed ? "passed" : "failed",
          passes: event.passed,
          ...(event.reason ? { note: clean(event.reason) } : {}),
          ...(event.commit ? { note: `commit ${event.commit.slice(0, 8)}` } : {}),
        }),
        log: log(
          `${event.storyId} ${event.passed ? "passed" : "failed"}${event.reason ? `: ${event.reason}` : ""}`,
        ),
      };
    case "complete":
      return {
        ...view,
        running: false,
        outcome: event.result.status,
        log: log(`finished: ${event.result.status}`),
      };
    case "warning":
      return { ...view, log: log(`warning: ${event.message}`) };
    default:
      return view;
  }
}
