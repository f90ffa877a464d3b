type Schema = Record<string, unknown>;

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === "number" && actual === "integer");
}

/**
 * Validates a value against a JSON Schema (the keywords tool schemas use: type, properties, required,
 * additionalProperties, items, enum, const, anyOf/oneOf/allOf, string/array/number bounds (exclusive too), $ref to
 * $defs). Returns the problems found, each with its path; empty means valid.
 */
export function validateJson(value: unknown, schema: unknown, root?: Schema, path = "$"): string[] {
  if (!isObject(schema)) return [];
  const top = root ?? schema;
  if (typeof schema.$ref === "string") {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(schema.$ref);
    const defs = match ? top[match[1] as string] : undefined;
    const target = match && isObject(defs) ? defs[match[2] as string] : undefined;
    return isObject(target)
      ? validateJson(value, target, top, path)
      : [`${path}: unresolvable $ref ${schema.$ref}`];
  }
  const errors: string[] = [];
  if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${path}: expected one of ${JSON.stringify(schema.enum)}`);
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    const variants = schema[key];
    if (Array.isArray(variants) && !variants.some((v) => validateJson(value, v, top, path).length === 0)) {
      errors.push(`${path}: matches none of the ${key} alternatives`);
    }
  }
  if (Array.isArray(schema.allOf))
    for (const s of schema.allOf) errors.push(...validateJson(value, s, top, path));
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(t, actual))) {
      errors.push(`${path}: expected ${types.join(" or ")}, got ${actual}`);
      return errors;
    }
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength)
      errors.push(`${path}: shorter than ${schema.minLength} characters`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength)
      errors.push(`${path}: longer than ${schema.maxLength} characters`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value))
      errors.push(`${path}: does not match ${schema.pattern}`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum)
      errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum)
      errors.push(`${path}: above ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
      errors.push(`${path}: not above ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum)
      errors.push(`${path}: not below ${schema.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
      errors.push(`${path}: more than ${schema.maxItems} items`);
    if (isObject(schema.items)) {
      for (const [i, item] of value.entries()) {
        errors.push(...validateJson(item, schema.items, top, `${path}[${i}]`));
      }
    }
  }
  if (isObject(value)) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    if (Array.isArray(schema.required)) {
      for (const key of schema.required as string[])
        if (!(key in value)) errors.push(`${path}.${key}: required`);
    }
    for (const [key, item] of Object.entries(value)) {
      if (key in properties) errors.push(...validateJson(item, properties[key], top, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${key}: not allowed`);
      else if (isObject(schema.additionalProperties))
        errors.push(...validateJson(item, schema.additionalProperties, top, `${path}.${key}`));
    }
  }
  return errors;
}
