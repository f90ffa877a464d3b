/** Dotted config keys (`agent.max_steps`) over plain parsed TOML/JSON tables. */
type Table = Record<string, unknown>;

export function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets `keys` (a split dotted key) to `value`, creating tables on the way and replacing non-tables. */
export function setKeyPath(target: Table, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isTable(node[key])) node[key] = {};
    node = node[key] as Table;
  }
  node[keys.at(-1) as string] = value;
}

/** Every leaf as `[dotted key, value]`; an empty table counts as a leaf. */
export function leafEntries(table: Table, at = ""): Array<[string, unknown]> {
  return Object.entries(table).flatMap(([k, v]) => {
    const dotted = at ? `${at}.${k}` : k;
    return isTable(v) && Object.keys(v).length ? leafEntries(v, dotted) : [[dotted, v] as [string, unknown]];
  });
}
