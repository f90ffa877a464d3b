import path from "node:path";
import {
  ConfigError,
  findProjectConfig,
  listTrustDecisions,
  projectFolder,
  realFolder,
  setFolderTrust,
  escapeControls as shown,
  toJsonText,
  trustStoreFile,
} from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { approvedFiles, describeEntry } from "./trust-list.js";

export interface TrustOptions {
  dir?: string;
  revoke?: boolean;
  list?: boolean;
  json?: boolean;
}

/** The folder `trust` acts on: the given one, else the project folder of cwd (where its codetether.toml is). */
function targetFolder(options: TrustOptions, io: CliIO): string {
  if (options.dir) return realFolder(path.resolve(io.cwd, options.dir));
  return projectFolder(io.cwd, findProjectConfig(io.cwd));
}

/**
 * `codetether trust [dir]`, `trust --revoke [dir]`, `trust --list`: the user's decisions about which folders' config
 * (codetether.toml, .codetether/, project MCP servers) may loosen security. Stored in `<dataDir>/trusted-folders.json`.
 * Trusting records a hash of each project config file in and below the folder: only that content is trusted.
 */
export async function trustCommand(options: TrustOptions, io: CliIO): Promise<number> {
  try {
    if (options.list) {
      if (options.dir) throw new CliError("--list takes no directory.", ExitCode.Usage);
      const entries = listTrustDecisions(io.env);
      if (options.json) io.stdout.write(toJsonText({ file: trustStoreFile(io.env), folders: entries }));
      else if (!entries.length)
        io.stdout.write(
          `No folder is trusted yet (${trustStoreFile(io.env)}). Trust one with: codetether trust <dir>\n`,
        );
      else for (const e of entries) io.stdout.write(describeEntry(e));
      return ExitCode.Success;
    }
    const folder = targetFolder(options, io);
    const entry = await setFolderTrust(folder, options.revoke ? "untrusted" : "trusted", io.env);
    if (options.json) io.stdout.write(toJsonText(entry));
    else if (options.revoke)
      io.stdout.write(
        `Untrusted ${shown(entry.folder)}: its codetether.toml may only tighten security again (project MCP servers, plugins, allow rules, provider settings are ignored).\n`,
      );
    else
      io.stdout.write(
        `Trusted ${shown(entry.folder)}: its codetether.toml and .codetether/ apply in full, including MCP servers and allow rules, as they are now.\n` +
          approvedFiles(entry) +
          "A project config added or changed later (by you or the agent) applies only after you run codetether trust again.\n" +
          `Undo with: codetether trust --revoke ${shown(entry.folder)}\n`,
      );
    return ExitCode.Success;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, ExitCode.Usage);
    throw err;
  }
}
