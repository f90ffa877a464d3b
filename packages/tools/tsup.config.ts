import fs from "node:fs/promises";
import path from "node:path";
import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.js";

/**
 * Model-facing tool descriptions live in `src/**\/<tool>.txt` and are read at runtime with
 * `new URL("./<tool>.txt", import.meta.url)`. In the bundle `import.meta.url` is `dist/index.js`,
 * so every description is copied flat into `dist/` (names are unique per tool id).
 */
async function copyDescriptions(): Promise<void> {
  const seen = new Map<string, string>();
  const entries = await fs.readdir("src", { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".txt")) continue;
    const from = path.join(entry.parentPath, entry.name);
    const previous = seen.get(entry.name);
    if (previous) throw new Error(`Two tool descriptions named ${entry.name}: ${previous} and ${from}`);
    seen.set(entry.name, from);
    await fs.copyFile(from, path.join("dist", entry.name));
  }
}

export default defineConfig({
  ...packageBuild,
  entry: ["src/index.ts"],
  onSuccess: copyDescriptions,
});
