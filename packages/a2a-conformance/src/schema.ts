import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";

/** The A2A 1.0 JSON Schema bundled with this package (definitions under `$defs`, keyed by proto message). */
export const A2A_SCHEMA_PATH = fileURLToPath(new URL("../fixtures/a2a.bundled.json", import.meta.url));

export interface A2ASchemaValidator {
  /** The ajv error messages for `value` against `$defs/<name>` (empty when valid). */
  errors(name: string, value: unknown): string[];
  /** Throws an error naming the definition, the failing paths and the payload unless `value` is valid. */
  assert(name: string, value: unknown): void;
}

/** Validates wire payloads against the A2A 1.0 JSON Schema with ajv's draft 2020-12 build. */
export function createA2ASchemaValidator(schemaPath: string = A2A_SCHEMA_PATH): A2ASchemaValidator {
  const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  ajv.addSchema(schema, "a2a");
  const errors = (name: string, value: unknown): string[] => {
    const validate = ajv.getSchema(`a2a#/$defs/${name}`);
    if (!validate) throw new Error(`The A2A schema has no definition "${name}" (${schemaPath}).`);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
  };
  return {
    errors,
    assert(name, value) {
      const problems = errors(name, value);
      if (problems.length) {
        throw new Error(
          `Payload does not match A2A schema $defs/${name}:\n  ${problems.join("\n  ")}\n${JSON.stringify(value)}`,
        );
      }
    },
  };
}
