import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A temp folder for the project-trust tests: `work` is a git repository (a project root), the user config holds
 * `userToml`, and `env` points the config and trust store there. `write(rel, text)` writes a file below `work`.
 */
export function trustBox(prefix: string, userToml: string) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const work = path.join(dir, "work");
  fs.mkdirSync(path.join(work, ".git"), { recursive: true });
  const env = { XDG_CONFIG_HOME: path.join(dir, "config"), XDG_DATA_HOME: path.join(dir, "data") };
  fs.mkdirSync(path.join(dir, "config", "codetether"), { recursive: true });
  fs.writeFileSync(path.join(dir, "config", "codetether", "config.toml"), userToml);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
    fs.writeFileSync(path.join(work, rel), text);
  };
  return { dir, work, env, write };
}
