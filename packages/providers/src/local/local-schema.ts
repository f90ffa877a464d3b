/**
 * Converts a tool's JSON Schema to the subset node-llama-cpp can turn into a grammar (GbnfJsonSchema):
 * objects, arrays, strings (length bounds, date formats), numbers, booleans, null, enum, const and
 * oneOf/anyOf. Local `$ref`s are inlined; unsupported keywords are dropped (the grammar then allows more,
 * never less, than the model needs to produce a call).
 */
type Schema = Record<string, unknown>;

const PRIMITIVE = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);
const ANY_SCALAR = { type: ["string", "number", "boolean", "null"] };
const MAX_DEPTH = 12;

function isObject(v: unknown): v is Schema {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function resolveRef(ref: string, root: Schema): Schema | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const defs = root[match[1] as string];
  const target = isObject(defs) ? defs[decodeURIComponent(match[2] as string)] : undefined;
  return isObject(target) ? target : undefined;
}

function convert(schema: unknown, root: Schema, depth: number): Schema {
  if (!isObject(schema) || depth > MAX_DEPTH) return ANY_SCALAR;
  const description = typeof schema.description === "string" ? { description: schema.description } : {};
  if (typeof schema.$ref === "string") {
    const target = resolveRef(schema.$ref, root);
    return target ? convert(target, root, depth + 1) : ANY_SCALAR;
  }
  if ("const" in schema && PRIMITIVE(schema.const)) return { const: schema.const, ...description };
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter(PRIMITIVE);
    if (values.length) return { enum: values, ...description };
  }
  const variants = Array.isArray(schema.oneOf)
    ? schema.oneOf
    : Array.isArray(schema.anyOf)
      ? schema.anyOf
      : undefined;
  if (variants?.length) return { oneOf: variants.map((v) => convert(v, root, depth + 1)), ...description };
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t): t is string => typeof t === "string");
    if (types.length === 1) return convert({ ...schema, type: types[0] }, root, depth);
    return { oneOf: types.map((t) => convert({ ...schema, type: t }, root, depth + 1)), ...description };
  }
  switch (schema.type) {
    case "string": {
      const format = schema.format;
      if (format === "date-time" || format === "date" || format === "time") {
        return { type: "string", format, ...description };
      }
      const out: Schema = { type: "string", ...description };
      if (typeof schema.minLength === "number") out.minLength = schema.minLength;
      if (typeof schema.maxLength === "number") out.maxLength = schema.maxLength;
      return out;
    }
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return { type: schema.type, ...description };
    case "array": {
      const out: Schema = { type: "array", ...description };
      if (schema.items !== undefined) out.items = convert(schema.items, root, depth + 1);
      if (typeof schema.minItems === "number") out.minItems = schema.minItems;
      if (typeof schema.maxItems === "number") out.maxItems = schema.maxItems;
      return out;
    }
    case "object":
      return convertObject(schema, root, depth, description);
    default:
      return isObject(schema.properties) ? convertObject(schema, root, depth, description) : ANY_SCALAR;
  }
}

function convertObject(schema: Schema, root: Schema, depth: number, description: Schema): Schema {
  const props = isObject(schema.properties) ? schema.properties : {};
  const properties: Schema = {};
  for (const [key, value] of Object.entries(props)) properties[key] = convert(value, root, depth + 1);
  const required = Array.isArray(schema.required)
    ? schema.required.filter((k): k is string => typeof k === "string" && k in properties)
    : [];
  const out: Schema = { type: "object", properties, required, ...description };
  if (Object.keys(properties).length === 0) {
    out.additionalProperties = isObject(schema.additionalProperties)
      ? convert(schema.additionalProperties, root, depth + 1)
      : schema.additionalProperties !== false;
  }
  return out;
}

/** The grammar-compatible form of a JSON Schema (see the module comment). */
export function toGrammarSchema(schema: unknown): Schema {
  return convert(schema, isObject(schema) ? schema : {}, 0);
}

/**
 * The schema of one tool call: `{"name": <tool>, "arguments": {...}}`, with a `oneOf` over the tools so
 * that the arguments always match the chosen tool.
 */
export function toolCallSchema(tools: { name: string; parameters: unknown }[]): Schema {
  const variants = tools.map((t) => ({
    type: "object",
    properties: { name: { const: t.name }, arguments: toGrammarSchema(t.parameters) },
    required: ["name", "arguments"],
  }));
  return variants.length === 1 ? (variants[0] as Schema) : { oneOf: variants };
}
