import { TERMINAL_STATES } from "./interrupted-task.js";
import type { TaskIndex } from "./task-index.js";

export interface TaskRetention {
  /** Finished tasks whose last status is older than this are deleted (default 30; 0 keeps them). */
  retentionDays?: number;
  /** At most this many tasks are kept: the oldest finished ones go first (default 100 000; 0 = no cap). */
  maxTasks?: number;
  now?: () => number;
}

export const DEFAULT_RETENTION_DAYS = 30;
export const DEFAULT_MAX_TASKS = 100_000;

/**
 * Deletes (through `remove`) finished tasks past the retention age, then the oldest finished tasks while
 * more than `maxTasks` are stored. Running and waiting tasks are never deleted. Returns how many went.
 */
export async function applyRetention(
  index: TaskIndex,
  retention: TaskRetention,
  remove: (id: string) => Promise<void>,
): Promise<number> {
  const days = retention.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const max = retention.maxTasks ?? DEFAULT_MAX_TASKS;
  const now = (retention.now ?? Date.now)();
  const finished = (state: number) => TERMINAL_STATES.has(state);
  let removed = 0;
  if (days > 0) {
    const cutoff = now - days * 86_400_000;
    for (const id of index.idsWhere(finished, cutoff)) {
      await remove(id);
      removed++;
    }
  }
  if (max > 0 && index.size > max) {
    for (const id of index.oldestWhere(finished, index.size - max)) {
      await remove(id);
      removed++;
    }
  }
  return removed;
}
