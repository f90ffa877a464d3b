import fs from "node:fs/promises";

/**
 * Appends one entry and fsyncs it: after a crash the file holds every finished entry, at worst
 * followed by a partial last line (never a truncated earlier one, as a rewrite could leave).
 */
export async function appendProgress(file: string, entry: string): Promise<void> {
  const handle = await fs.open(file, "a", 0o644);
  try {
    await handle.appendFile(entry.endsWith("\n") ? entry : `${entry}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The last `maxChars` of the progress file (empty when there is none yet). */
export async function readProgressTail(file: string, maxChars = 6000): Promise<string> {
  try {
    const text = await fs.readFile(file, "utf8");
    return text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw err;
  }
}

/** Iteration numbers already logged, so a resumed run continues the numbering. */
export async function lastIteration(file: string): Promise<number> {
  const text = await readProgressTail(file, Number.MAX_SAFE_INTEGER);
  let last = 0;
  for (const match of text.matchAll(/^## Iteration (\d+)/gm)) last = Math.max(last, Number(match[1]));
  return last;
}
