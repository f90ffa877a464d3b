import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A fresh temp directory removed by the returned cleanup. */
export function tempDir(prefix = "ct-sec-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
