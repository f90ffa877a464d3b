import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { ConfigError, dataDir as defaultDataDir, writeFileAtomic } from "@codetether/core";

export interface ResolvedAuthToken {
  token: string;
  source: "env" | "file" | "generated";
  /** The token file when source is `file` or `generated` (print it at start, never the token in logs). */
  file?: string;
}

export interface ResolveAuthTokenOptions {
  env?: Record<string, string | undefined>;
  /** Where the generated token is kept (default: the codetether data dir). */
  dataDir?: string;
}

export const AUTH_TOKEN_FILE = "auth-token";

const VALID_TOKEN = /^[\x21-\x7e]{16,}$/;

/**
 * A new random 256-bit token, base64url, never starting with `-`: users pass it as `--token <t>`, and a CLI parser
 * reads `-v…` as its version flag (`codetether a2a send --token -vX…` printed the version and sent nothing). Drawn
 * again when it would (1 in 64), which costs the token 0.02 bits.
 */
export function generateAuthToken(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const token = random(32).toString("base64url");
    if (!token.startsWith("-")) return token;
  }
}

/**
 * The server's bearer token: `CODETETHER_AUTH_TOKEN` if set, else the token stored in `<dataDir>/auth-token`,
 * else a new random 256-bit token written there with mode 0600 (created exclusively, so concurrent starts agree).
 */
export async function resolveAuthToken(options: ResolveAuthTokenOptions = {}): Promise<ResolvedAuthToken> {
  const env = options.env ?? process.env;
  const fromEnv = env.CODETETHER_AUTH_TOKEN;
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!VALID_TOKEN.test(fromEnv)) {
      // A configuration mistake (exit 2), not a server failure.
      throw new ConfigError(
        "CODETETHER_AUTH_TOKEN must be at least 16 printable characters without spaces; " +
          "unset it to have codetether generate a random token",
      );
    }
    return { token: fromEnv, source: "env" };
  }
  const dir = options.dataDir ?? defaultDataDir(env);
  const file = path.join(dir, AUTH_TOKEN_FILE);
  const existing = await readTokenFile(file);
  if (existing !== undefined) return { token: existing, source: "file", file };

  const token = generateAuthToken();
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.new`;
  await writeFileAtomic(tmp, `${token}\n`, { mode: 0o600 });
  try {
    await fs.link(tmp, file); // fails if another process won the race; then use its token
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const winner = await readTokenFile(file);
    if (winner === undefined) throw new Error(`auth token file ${file} appeared but is unreadable`);
    return { token: winner, source: "file", file };
  } finally {
    await fs.rm(tmp, { force: true });
  }
  return { token, source: "generated", file };
}

async function readTokenFile(file: string): Promise<string | undefined> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if ((stat.mode & 0o077) !== 0) await fs.chmod(file, 0o600); // never leave the token group/world readable
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const token = text.trim();
  if (!VALID_TOKEN.test(token)) {
    throw new Error(
      `auth token file ${file} does not contain a valid token (16+ printable characters); delete it to generate a new one`,
    );
  }
  return token;
}
