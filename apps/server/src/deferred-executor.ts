import type { StoppableExecutor } from "@codetether/a2a";
import { lazyLoad } from "./lazy-load.js";

/**
 * An executor whose implementation is imported on the first task, so options that name one (conformance
 * mode) can be built synchronously without loading the A2A SDK at start-up. Shutdown before any task
 * has nothing to abort.
 */
export function deferredExecutor(load: () => Promise<StoppableExecutor>): StoppableExecutor {
  const executor = lazyLoad(load);
  return {
    execute: async (context, bus) => (await executor.get()).execute(context, bus),
    cancelTask: async (taskId, bus) => (await executor.get()).cancelTask(taskId, bus),
    async abortAll(reason) {
      const loaded = executor.loaded ?? (await executor.pending?.catch(() => undefined));
      return (await loaded?.abortAll?.(reason)) ?? [];
    },
  };
}
