import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";

/** The A2A 1.0.1 JSON Schema, vendored (with its license) beside the conformance suite. */
const SCHEMA_PATH = fileURLToPath(
  new URL("../../../a2a-conformance/fixtures/a2a.bundled.json", import.meta.url),
);
const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
ajv.addSchema(schema, "a2a");

/** Throws with the ajv errors unless `value` matches `$defs/<name>` of the A2A 1.0 JSON Schema. */
export function expectSchema(name: string, value: unknown): void {
  const validate = ajv.getSchema(`a2a#/$defs/${name}`);
  if (!validate) throw new Error(`no schema definition ${name}`);
  if (!validate(value)) {
    throw new Error(
      `${name} does not match the A2A schema: ${JSON.stringify(validate.errors, null, 1)}\n${JSON.stringify(value)}`,
    );
  }
}
