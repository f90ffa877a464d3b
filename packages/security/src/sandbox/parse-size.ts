const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Parses sizes such as `512M`, `1.5G`, `4096`, `64 MiB` (binary units) into bytes; `field` names it in errors. */
export function parseSize(text: string, field: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new Error(
      `sandbox policy ${field}: "${text}" is not a size; use e.g. "512M", "2G" or a byte count`,
    );
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes <= 0) throw new Error(`sandbox policy ${field}: must be greater than zero`);
  return bytes;
}
