import type { JsonSchema, ToolDefinition } from "@codetether/core";

/** Limits that keep grammar-constrained output finite (unbounded strings rarely terminate). */
export interface SchemaBounds {
  /** Default `maxLength` of strings without one (default 2000). */
  maxStringLength: number;
  /** Default `maxItems` of arrays without one (default 16). */
  maxArrayItems: number;
  /** Most calls one routing may produce (default 4). */
  maxCalls: number;
  /** Fewest calls (default 0: the router may find nothing to call; 1 when a call is mandatory, as in RLM). */
  minCalls: number;
  /** `$ref` inlining depth for recursive schemas (default 3). */
  maxRefDepth: number;
}

export const DEFAULT_BOUNDS: SchemaBounds = {
  maxStringLength: 2_000,
  maxArrayItems: 16,
  maxCalls: 4,
  minCalls: 0,
  maxRefDepth: 3,
};

type Schema = Record<string, unknown>;

const ANY_SCALAR: Schema[] = [{ type: "number" }, { type: "boolean" }, { type: "null" }];

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolveRef(ref: string, root: Schema): Schema | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const defs = root[match[1] as string];
  return isObject(defs) && isObject(defs[match[2] as string])
    ? (defs[match[2] as string] as Schema)
    : undefined;
}

/**
 * Converts a tool's JSON Schema into the subset node-llama-cpp's grammar supports, with bounds.
 * Properties are all generated (the grammar has no optional properties) and no extra keys are allowed;
 * anything the subset cannot express is checked again by {@link validateJson} after generation.
 */
export function toGrammarSchema(schema: unknown, bounds: SchemaBounds, root?: Schema, depth = 0): Schema {
  if (!isObject(schema))
    return { oneOf: [{ type: "string", maxLength: bounds.maxStringLength }, ...ANY_SCALAR] };
  const top = root ?? schema;
  if (typeof schema.$ref === "string") {
    const target = resolveRef(schema.$ref, top);
    if (!target || depth >= bounds.maxRefDepth) return { type: "null" };
    return toGrammarSchema(target, bounds, top, depth + 1);
  }
  if ("const" in schema) return { const: schema.const };
  if (Array.isArray(schema.enum)) return { enum: schema.enum };
  const variants = (schema.oneOf ?? schema.anyOf) as unknown;
  if (Array.isArray(variants)) return { oneOf: variants.map((v) => toGrammarSchema(v, bounds, top, depth)) };
  if (Array.isArray(schema.type)) {
    return { oneOf: schema.type.map((t) => toGrammarSchema({ ...schema, type: t }, bounds, top, depth)) };
  }
  switch (schema.type) {
    case "string": {
      if (schema.format === "date-time" || schema.format === "date" || schema.format === "time") {
        return { type: "string", format: schema.format };
      }
      const maxLength = Math.min(
        typeof schema.maxLength === "number" ? schema.maxLength : bounds.maxStringLength,
        bounds.maxStringLength,
      );
      const out: Schema = { type: "string", maxLength };
      if (typeof schema.minLength === "number") out.minLength = Math.min(schema.minLength, maxLength);
      return out;
    }
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return { type: schema.type };
    case "array": {
      const maxItems = Math.min(
        typeof schema.maxItems === "number" ? schema.maxItems : bounds.maxArrayItems,
        bounds.maxArrayItems,
      );
      const out: Schema = {
        type: "array",
        items: toGrammarSchema(schema.items ?? {}, bounds, top, depth),
        maxItems,
      };
      if (typeof schema.minItems === "number") out.minItems = Math.min(schema.minItems, maxItems);
      return out;
    }
    case "object":
    case undefined: {
      if (schema.type === undefined && !isObject(schema.properties)) {
        return { oneOf: [{ type: "string", maxLength: bounds.maxStringLength }, ...ANY_SCALAR] };
      }
      const properties: Record<string, Schema> = {};
      if (isObject(schema.properties)) {
        for (const [key, value] of Object.entries(schema.properties)) {
          properties[key] = toGrammarSchema(value, bounds, top, depth);
        }
      }
      return { type: "object", properties, additionalProperties: false };
    }
    default:
      return { type: "null" };
  }
}

/**
 * The schema of one routing answer: `{ calls: [ oneOf per tool { name: const, arguments } ] }`, so the
 * output always parses and only names existing tools. `calls` may be empty (nothing to call).
 */
export function routerOutputSchema(tools: readonly ToolDefinition[], bounds: SchemaBounds): JsonSchema {
  const variants = tools.map((tool) => ({
    type: "object",
    properties: {
      name: { const: tool.name },
      arguments: toGrammarSchema(tool.parameters, bounds),
    },
    additionalProperties: false,
  }));
  return {
    type: "object",
    properties: {
      calls: {
        type: "array",
        items: variants.length === 1 ? variants[0] : { oneOf: variants },
        maxItems: bounds.maxCalls,
        ...(bounds.minCalls > 0 ? { minItems: Math.min(bounds.minCalls, bounds.maxCalls) } : {}),
      },
    },
    additionalProperties: false,
  };
}
