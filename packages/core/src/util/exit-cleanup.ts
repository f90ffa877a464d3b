/**
 * One `process.on("exit")` listener for every synchronous clean-up of this process (temp journals, seccomp filter
 * files, plugin copies…). A listener per instance trips Node's MaxListenersExceededWarning after ten and grows
 * with every object created. The registry lives on `globalThis` under a registered symbol, so copies of this
 * module (several bundles in one process) still share one listener.
 */
type Task = () => void;
interface Registry {
  tasks: Set<Task>;
}

const KEY = Symbol.for("codetether.exit-cleanup");

function registry(): Registry {
  const holder = globalThis as { [KEY]?: Registry };
  let reg = holder[KEY];
  if (!reg) {
    const created: Registry = { tasks: new Set() };
    reg = created;
    holder[KEY] = created;
    process.on("exit", () => {
      for (const task of [...created.tasks]) {
        try {
          task();
        } catch {
          // One failed clean-up must not keep the others from running.
        }
      }
    });
  }
  return reg;
}

/**
 * Runs `task` (synchronous: nothing asynchronous runs at exit) when the process exits, after the tasks registered
 * before it. Returns a function that unregisters it, for objects cleaned up earlier.
 */
export function onProcessExit(task: Task): () => void {
  const { tasks } = registry();
  // A wrapper, so registering the same function twice runs it twice and unregisters one at a time.
  const entry: Task = () => task();
  tasks.add(entry);
  return () => {
    tasks.delete(entry);
  };
}
