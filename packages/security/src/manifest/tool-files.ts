import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { MANIFEST_FILE, SIGNATURE_FILE } from "./tool-manifest.js";

export interface ToolDirEntry {
  /** Path relative to the tool directory, `/`-separated. */
  path: string;
  kind: "file" | "symlink" | "other";
  executable: boolean;
}

/** Every entry below `dir` except the manifest and signature (directories are walked, not listed). */
export async function walkToolDir(dir: string): Promise<ToolDirEntry[]> {
  const out: ToolDirEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && (entry.name === MANIFEST_FILE || entry.name === SIGNATURE_FILE)) continue;
      if (entry.isDirectory()) {
        await walk(relPath);
      } else if (entry.isSymbolicLink()) {
        out.push({ path: relPath, kind: "symlink", executable: false });
      } else if (entry.isFile()) {
        const stat = await fs.stat(path.join(dir, relPath));
        out.push({ path: relPath, kind: "file", executable: (stat.mode & 0o111) !== 0 });
      } else {
        out.push({ path: relPath, kind: "other", executable: false });
      }
    }
  };
  await walk("");
  return out;
}

export const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** Files Node could load or run: an unlisted one of these would bypass the manifest. */
export function isLoadable(entry: ToolDirEntry): boolean {
  return entry.executable || /\.(m?js|cjs|ts|mts|cts|node|wasm|so|dylib|json|sh)$/i.test(entry.path);
}
