import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { lazySchema } from "../util/lazy-schema.js";
import { redactSecrets } from "./redact-crash.js";

type Env = Record<string, string | undefined>;

export const CrashReportSchema = lazySchema(() =>
  z.object({
    schema: z.literal(1),
    id: z.string(),
    time: z.string(),
    /** The codetether version that crashed. */
    version: z.string(),
    node: z.string(),
    platform: z.string(),
    arch: z.string(),
    /** The command that was running (first word only: arguments may hold prompts or secrets). */
    command: z.string().optional(),
    error: z.object({ name: z.string(), message: z.string(), stack: z.array(z.string()) }),
  }),
);

export type CrashReport = z.infer<typeof CrashReportSchema>;

export interface BuildCrashReportOptions {
  version: string;
  /** Paths under this directory are shown relative to it (`./src/x.ts`). */
  projectRoot: string;
  command?: string;
  /** Secret values in these variables are removed from the message and stack. Default `process.env`. */
  env?: Env;
  now?: Date;
}

const MAX_MESSAGE = 500;
const MAX_FRAMES = 50;

function relativize(text: string, projectRoot: string, home: string): string {
  let out = text;
  const roots: Array<[string, string]> = [[path.resolve(projectRoot), "."]];
  if (home && home !== "/") roots.push([home, "~"]);
  for (const [root, label] of roots) {
    for (const form of [`file://${root}`, root]) out = out.split(`${form}${path.sep}`).join(`${label}/`);
  }
  return out;
}

/**
 * Builds a crash report that is safe to keep and to send: the error's name, message and stack frames only
 * (never source text), paths relative to the project (or `~`), secrets redacted.
 */
export function buildCrashReport(error: unknown, options: BuildCrashReportOptions): CrashReport {
  const env = options.env ?? process.env;
  const home = env.HOME ?? os.homedir();
  const clean = (s: string) => relativize(redactSecrets(s, env), options.projectRoot, home);
  const err = error instanceof Error ? error : new Error(`non-Error thrown: ${typeof error}`);
  // Only `at ...` lines: Node prints source excerpts and `^^^` markers above them, which are source text.
  const frames = (err.stack ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("at "))
    .slice(0, MAX_FRAMES)
    .map(clean);
  const message = clean(err.message).slice(0, MAX_MESSAGE);
  const now = options.now ?? new Date();
  return {
    schema: 1,
    id: `${now.toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}`,
    time: now.toISOString(),
    version: options.version,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    ...(options.command ? { command: options.command.split(/\s+/)[0] as string } : {}),
    error: { name: clean(err.name || "Error"), message, stack: frames },
  };
}
