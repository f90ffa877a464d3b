import { readFileSync } from "node:fs";

/**
 * Reads a model-facing tool description that lives beside the tool as `<tool>.txt`.
 * Pass `new URL("./<tool>.txt", import.meta.url)` from the tool's own module.
 */
export function loadDescription(url: URL): string {
  return readFileSync(url, "utf8").trim();
}
