// Summary statistics for repeated measurements.

export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
  return { n: sorted.length, min: sorted[0], median: at(0.5), p99: at(0.99), max: sorted.at(-1) };
}

/** Ratio of two medians, rounded to 2 decimals. */
export function ratio(subject, baseline) {
  return Math.round((subject.median / baseline.median) * 100) / 100;
}

export function fmt(value, unit = "") {
  if (value === undefined || value === null || Number.isNaN(value)) return "-";
  const v =
    Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
  return `${v}${unit}`;
}
