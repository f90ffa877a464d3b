import os from "node:os";
import path from "node:path";

type Env = Record<string, string | undefined>;

/** Where codetether keeps data (sessions, audit, models): `CODETETHER_DATA_DIR`, else `$XDG_DATA_HOME/codetether`. */
export function dataDir(env: Env = process.env): string {
  if (env.CODETETHER_DATA_DIR) return path.resolve(env.CODETETHER_DATA_DIR);
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share");
  return path.join(base, "codetether");
}

/** Where codetether keeps user config: `CODETETHER_CONFIG_DIR`, else `$XDG_CONFIG_HOME/codetether`. */
export function configDir(env: Env = process.env): string {
  if (env.CODETETHER_CONFIG_DIR) return path.resolve(env.CODETETHER_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(base, "codetether");
}

/** Cache (downloaded models, search indexes): `$XDG_CACHE_HOME/codetether`. */
export function cacheDir(env: Env = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "codetether");
}
