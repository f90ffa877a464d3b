// Running consumer commands with a throwaway HOME/XDG so nothing reads or writes the real user config.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function sandboxEnv(dir, extra = {}) {
  const home = path.join(dir, "home");
  fs.mkdirSync(home, { recursive: true });
  return {
    PATH: process.env.PATH ?? "",
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    // npx must find the warm npm cache, not the empty sandbox HOME.
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; read to pass the npm cache through.
    npm_config_cache: process.env.npm_config_cache ?? path.join(os.homedir(), ".npm"),
    npm_config_prefer_offline: "true",
    NO_COLOR: "1",
    ...extra,
  };
}

/** Runs a command; resolves with its output, rejects with both streams when it fails or times out. */
export function exec(cmd, args, { cwd, env, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const where = `\`${[cmd, ...args].join(" ")}\` in ${cwd}`;
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${where} exited with ${code ?? signal}\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}
