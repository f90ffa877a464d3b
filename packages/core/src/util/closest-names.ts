/** Levenshtein distance, O(n·m) time, O(m) memory. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The candidates closest to `name` (substring matches first), at most `limit`. */
export function closestNames(name: string, candidates: string[], limit: number): string[] {
  const lower = name.toLowerCase();
  return candidates
    .map((c) => {
      const cl = c.toLowerCase();
      const contains = cl.includes(lower) || lower.includes(cl);
      return { c, score: contains ? 0 : editDistance(lower, cl) };
    })
    .filter((x) => x.score <= Math.max(3, Math.floor(name.length / 2)))
    .sort((x, y) => x.score - y.score)
    .slice(0, limit)
    .map((x) => x.c);
}
