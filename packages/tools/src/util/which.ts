import { accessSync, constants } from "node:fs";
import path from "node:path";

/** The absolute path of an executable in an absolute PATH directory, or undefined. */
export function which(name: string, envPath: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    // A relative entry resolves in the workspace, where the model can put an `rg` of its own.
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
