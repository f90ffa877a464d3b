import fs from "node:fs/promises";
import { writeFileAtomic } from "@codetether/core";
import type { Prd } from "./prd-schema.js";
import { PrdError, parsePrd } from "./prd-validate.js";

/** Reads and validates a prd.json; errors name the file and what to fix. */
export async function loadPrd(file: string): Promise<Prd> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error(`No PRD at ${file}. Create one with \`codetether ralph create-prd --feature <name>\`.`);
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PrdError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parsePrd(json, file);
}

/** Writes a PRD atomically (readers never see a torn file), stamping `updated_at`. */
export async function savePrd(file: string, prd: Prd): Promise<void> {
  const stamped: Prd = { ...prd, updated_at: new Date().toISOString() };
  parsePrd(stamped, file);
  await writeFileAtomic(file, `${JSON.stringify(stamped, null, 2)}\n`);
}
