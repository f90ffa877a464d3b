import type { Ajv, ErrorObject } from "ajv";
import { z } from "zod";
import { lazyDependency } from "../util/lazy-dependency.js";

export type JsonObjectSchema = Record<string, unknown>;

type AjvClass = typeof import("ajv").Ajv;

/** ajv is loaded when the first MCP tool is built (`loadMcpTools` awaits `loadAjv()`). */
const ajvLib = lazyDependency<AjvClass>(
  "ajv",
  async () => (await import("ajv")).Ajv,
  (exports) => (exports as { Ajv: AjvClass }).Ajv,
);
let ajvInstance: Ajv | undefined;
function ajv(): Ajv {
  ajvInstance ??= new (ajvLib.get())({ allErrors: true, strict: false, validateFormats: false });
  return ajvInstance;
}

/** Loads the JSON Schema validator; async callers await this before `jsonSchemaParameters`. */
export async function loadAjv(): Promise<void> {
  await ajvLib.load();
}

function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll("/", ".") : "(root)";
  const extra =
    error.keyword === "additionalProperties"
      ? ` ("${String((error.params as { additionalProperty?: unknown }).additionalProperty)}")`
      : error.keyword === "enum"
        ? `: ${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)}`
        : "";
  return `${where}: ${error.message ?? "is invalid"}${extra}`;
}

/**
 * A zod schema that carries a server-provided JSON Schema unchanged: the registry's zod → JSON Schema
 * conversion emits exactly `schema` (zod merges metadata into the output), and validation is done by ajv
 * against that same schema, so what the model sees is what is enforced.
 */
export function jsonSchemaParameters(schema: JsonObjectSchema): z.ZodType<Record<string, unknown>> {
  const { $schema: _dialect, id: _id, ...passThrough } = schema;
  const forModel: JsonObjectSchema = { type: "object", ...passThrough };
  if (forModel.type === "object" && forModel.properties === undefined) forModel.properties = {};
  let validate: ReturnType<Ajv["compile"]> | undefined;
  let compileError: string | undefined;
  try {
    validate = ajv().compile(forModel);
  } catch (err) {
    compileError = (err as Error).message;
  }
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        ctx.addIssue({ code: "custom", message: "arguments must be a JSON object" });
        return;
      }
      if (!validate) return; // The server's schema did not compile; the server validates on its own.
      if (!validate(value)) {
        for (const error of validate.errors ?? [])
          ctx.addIssue({ code: "custom", message: describeAjvError(error) });
      }
    })
    .transform((value) => value as Record<string, unknown>)
    .meta(compileError ? { ...forModel, description: String(forModel.description ?? "") } : forModel);
}
