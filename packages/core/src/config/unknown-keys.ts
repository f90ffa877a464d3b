import type { z } from "zod";
import { closestNames, editDistance } from "../util/closest-names.js";
import { ConfigSchema } from "./config-schema.js";
import { isTable } from "./key-paths.js";

/** A key the schema does not know, with the closest valid key at the same place (when one is close). */
export interface UnknownKey {
  key: string;
  suggestion?: string;
}

type Def = {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
};

const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/** Strips optional/default/nullable/pipe wrappers down to the schema that describes the value's shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    if (
      def.innerType &&
      ["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(def.type)
    )
      current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else break;
  }
  return current;
}

/**
 * The closest known key by edit distance, only when it is plausibly a typo (a far-fetched suggestion misleads more
 * than none); a key that contains or is contained in a known one (`max_step`) counts as close.
 */
function closestKey(key: string, known: string[]): string | undefined {
  const lower = key.toLowerCase();
  // A truncated key (`include` for `include_only`) beats one a couple of letters away (`exclude`), which would
  // suggest the opposite.
  const extended = known.filter((k) => k.toLowerCase().startsWith(lower));
  if (key.length >= 4 && extended.length === 1) return extended[0];
  const scored = known
    .map((k) => ({ k, d: editDistance(lower, k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  const best = scored[0];
  if (best && best.d <= Math.max(2, Math.ceil(key.length / 3))) return best.k;
  return closestNames(key, known, 1).find((k) => Math.min(k.length, key.length) >= 4);
}

/** Every key of `value` (a parsed TOML layer) that `schema` does not declare, depth first, in file order. */
export function findUnknownKeys(value: unknown, schema: z.ZodType = ConfigSchema, at = ""): UnknownKey[] {
  const s = unwrap(schema);
  const def = defOf(s);
  if (def.type === "object" && def.shape && isTable(value)) {
    const known = Object.keys(def.shape);
    return Object.entries(value).flatMap(([key, child]) => {
      const dotted = at ? `${at}.${key}` : key;
      const childSchema = Object.hasOwn(def.shape as object, key) ? def.shape?.[key] : undefined;
      if (!childSchema) {
        const closest = closestKey(key, known);
        return [{ key: dotted, ...(closest ? { suggestion: at ? `${at}.${closest}` : closest } : {}) }];
      }
      return findUnknownKeys(child, childSchema, dotted);
    });
  }
  if (def.type === "record" && def.valueType && isTable(value)) {
    const valueType = def.valueType;
    return Object.entries(value).flatMap(([key, child]) =>
      findUnknownKeys(child, valueType, at ? `${at}.${key}` : key),
    );
  }
  if (def.type === "array" && def.element && Array.isArray(value)) {
    const element = def.element;
    return value.flatMap((child, i) => findUnknownKeys(child, element, `${at}[${i}]`));
  }
  return [];
}

/** The error text for unknown keys in `source`: one line per key, with "did you mean" where a key is close. */
export function describeUnknownKeys(source: string, unknown: UnknownKey[]): string {
  const lines = unknown.map(
    (u) => `  - unknown key \`${u.key}\`${u.suggestion ? `: did you mean \`${u.suggestion}\`?` : ""}`,
  );
  return (
    `Invalid configuration in ${source}:\n${lines.join("\n")}\n` +
    "Fix or remove the key(s) above (codetether config [--project] --unset <key>); the README's Configuration section lists every key."
  );
}
