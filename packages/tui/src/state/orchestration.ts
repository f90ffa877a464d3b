import type { ModelInfo, Provider } from "@codetether/core";
import type {
  RalphProgressEvent as RalphEvent,
  RalphStatusLike as RalphStatus,
  SwarmProgressEvent as SwarmEvent,
} from "./orchestration-events.js";
import { applyRalphEvent, type RalphView, ralphViewFromStatus } from "./ralph-state.js";
import { applySwarmEvent, type SwarmView, startSwarmView } from "./swarm-state.js";

/** The model the TUI is currently using; swarm and Ralph runs use it too. */
export interface RunModel {
  provider: Provider;
  model: string;
  modelInfo?: ModelInfo;
}

/** Optional swarm support, wired by the host with `@codetether/swarm` `startSwarm(...).events`. */
export interface SwarmRunner {
  start(task: string, signal: AbortSignal, model: RunModel): AsyncIterable<SwarmEvent>;
}

/** Optional Ralph support, wired by the host with `@codetether/ralph` `ralphStatus` and `runRalph`. */
export interface RalphRunner {
  status(prdPath: string): Promise<RalphStatus>;
  run(
    prdPath: string,
    signal: AbortSignal,
    model: RunModel,
    onEvent: (event: RalphEvent) => void,
  ): Promise<unknown>;
}

/** What the orchestration helpers need from the controller. */
export interface OrchestrationHost {
  swarmView?: SwarmView;
  ralphView?: RalphView;
  setSwarm(view: SwarmView): void;
  setRalph(view: RalphView): void;
  /** Registers the abort controller Esc should trigger while the run lasts. */
  track(abort: AbortController | undefined): void;
}

/** Runs a swarm, folding its events into the swarm view. */
export async function runSwarmView(
  host: OrchestrationHost,
  runner: SwarmRunner,
  task: string,
  model: RunModel,
): Promise<void> {
  const abort = new AbortController();
  host.track(abort);
  let view = startSwarmView(task);
  host.setSwarm(view);
  try {
    for await (const event of runner.start(task, abort.signal, model)) {
      view = applySwarmEvent(view, event);
      host.setSwarm(view);
    }
  } catch (err) {
    host.setSwarm({ ...view, phase: "error", error: (err as Error).message });
  } finally {
    host.track(undefined);
  }
}

/** Loads a PRD's per-story progress into the Ralph view. */
export async function loadRalphView(
  host: OrchestrationHost,
  runner: RalphRunner,
  prdPath: string,
): Promise<void> {
  host.setRalph(ralphViewFromStatus(await runner.status(prdPath)));
}

/** Runs Ralph on a PRD with live per-story progress. */
export async function runRalphView(
  host: OrchestrationHost,
  runner: RalphRunner,
  prdPath: string,
  model: RunModel,
): Promise<void> {
  let view = ralphViewFromStatus(await runner.status(prdPath));
  host.setRalph(view);
  const abort = new AbortController();
  host.track(abort);
  try {
    await runner.run(prdPath, abort.signal, model, (event) => {
      view = applyRalphEvent(view, event);
      host.setRalph(view);
    });
  } catch (err) {
    view = { ...view, running: false, log: [...view.log, `error: ${(err as Error).message}`] };
    host.setRalph(view);
  } finally {
    host.track(undefined);
    if (view.running) host.setRalph({ ...view, running: false });
  }
}
