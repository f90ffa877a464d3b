import { realpathLoose } from "../permission/workspace-confinement.js";

/** The tail of each held lock's queue, by real path. */
const tails = new Map<string, Promise<void>>();

async function acquire(key: string): Promise<() => void> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => held);
  tails.set(key, tail);
  await previous;
  return () => {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  };
}

/**
 * Runs `fn` while holding this process's lock of every file in `files`, keyed by real path (so a symlink and
 * its target share one lock). File tools hold it from reading a file to the atomic rename of its new content,
 * so parallel tool calls on one file apply one after another instead of losing updates; calls on different
 * files stay parallel. Locks are taken in sorted order, so two calls naming the same files cannot deadlock.
 */
export async function withFileLocks<T>(files: string[], fn: () => Promise<T>): Promise<T> {
  const keys = [...new Set(files.map((f) => realpathLoose(f)))].sort();
  const releases: Array<() => void> = [];
  try {
    for (const key of keys) releases.push(await acquire(key));
    return await fn();
  } finally {
    for (const release of releases.reverse()) release();
  }
}
