import type { ProposedSubtask, Subtask } from "./subtask.js";

/** A decomposition the swarm cannot run (duplicate names, unknown dependencies, cycles). */
export class DecompositionError extends Error {
  override name = "DecompositionError";
}

/** Stable, filesystem- and branch-safe id from a subtask name. */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return slug || "task";
}

/**
 * Resolves dependency names to ids and assigns stages: stage = 1 + max(stage of dependencies).
 * Kahn's algorithm; whatever is left after it is a cycle, which is reported by name.
 */
export function planStages(proposed: ProposedSubtask[]): Subtask[] {
  const byName = new Map<string, number>();
  proposed.forEach((task, index) => {
    if (byName.has(task.name))
      throw new DecompositionError(`Two subtasks are named "${task.name}"; subtask names must be unique.`);
    byName.set(task.name, index);
  });
  const ids: string[] = [];
  const used = new Set<string>();
  for (const task of proposed) {
    let id = slugify(task.name);
    for (let n = 2; used.has(id); n++) id = `${slugify(task.name)}-${n}`;
    used.add(id);
    ids.push(id);
  }
  const deps = proposed.map((task) =>
    [...new Set(task.dependencies)].map((dep) => {
      const index = byName.get(dep);
      if (index === undefined)
        throw new DecompositionError(
          `Subtask "${task.name}" depends on "${dep}", which is not a subtask. ` +
            `Dependencies must be names of other subtasks: ${[...byName.keys()].map((n) => `"${n}"`).join(", ")}.`,
        );
      if (dep === task.name) throw new DecompositionError(`Subtask "${task.name}" depends on itself.`);
      return index;
    }),
  );
  const stage = new Array<number>(proposed.length).fill(0);
  const remaining = deps.map((d) => d.length);
  const dependents = proposed.map(() => [] as number[]);
  deps.forEach((list, i) => {
    for (const d of list) dependents[d]!.push(i);
  });
  const queue = remaining.flatMap((count, i) => (count === 0 ? [i] : []));
  let done = 0;
  while (queue.length) {
    const i = queue.shift()!;
    done++;
    for (const j of dependents[i]!) {
      stage[j] = Math.max(stage[j]!, stage[i]! + 1);
      if (--remaining[j]! === 0) queue.push(j);
    }
  }
  if (done < proposed.length) {
    const cyclic = proposed.filter((_, i) => remaining[i]! > 0).map((t) => `"${t.name}"`);
    throw new DecompositionError(
      `The subtask dependencies form a cycle among ${cyclic.join(", ")}. Remove a dependency so every subtask can start.`,
    );
  }
  return proposed.map((task, i) => ({
    id: ids[i]!,
    name: task.name,
    instruction: task.instruction,
    ...(task.specialty ? { specialty: task.specialty } : {}),
    dependencies: deps[i]!.map((d) => ids[d]!),
    priority: task.priority,
    stage: stage[i]!,
    ...(task.tools ? { tools: task.tools } : {}),
  }));
}

/** Subtasks grouped by stage, each stage sorted by priority (1 = most important first). */
export function groupByStage(subtasks: Subtask[]): Subtask[][] {
  const stages: Subtask[][] = [];
  for (const task of subtasks) {
    stages[task.stage] ??= [];
    stages[task.stage]!.push(task);
  }
  return stages.map((s) => (s ?? []).sort((a, b) => a.priority - b.priority));
}
