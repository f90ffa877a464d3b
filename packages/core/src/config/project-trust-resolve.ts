import fs from "node:fs";
import path from "node:path";
import { realpathLoose } from "../permission/workspace-confinement.js";
import { ConfigError } from "./config-error.js";
import type { IgnoredKey } from "./project-trust-policy.js";
import {
  type FileApproval,
  type FileTrustCheck,
  fileApproval,
  folderTrust,
  projectFolder,
  type TrustDecision,
  trustedFileCheck,
} from "./project-trust-store.js";

type Env = Record<string, string | undefined>;

/** Whether the project's config (and `.codetether/`) may loosen security, and what was ignored because it may not. */
export interface ProjectTrust {
  /** Real path of the folder whose trust applies: the directory of `codetether.toml`, else the git root, else cwd. */
  folder: string;
  trusted: boolean;
  /**
   * What decided: `store` (a `codetether trust` decision, see `decision`), `env` (`CODETETHER_TRUST_PROJECT`),
   * `option` (the caller's `trustProject`), `default` (no decision yet: untrusted).
   */
  source: "store" | "env" | "option" | "default";
  /** The stored decision that applies (this folder's or an ancestor's), if any. Front ends ask when undefined. */
  decision?: TrustDecision;
  /** The folder holding that stored decision (an ancestor when trust is inherited). */
  decidedFor?: string;
  /**
   * Set when a stored `trusted` decision applies but `codetether.toml` is not a file it approved (new or changed
   * since, or trusted before contents were recorded): `trusted` is then false until the user trusts again.
   */
  unapproved?: { file: string; reason: Exclude<FileApproval, "approved"> };
  /** Project keys not applied because they would loosen security (empty when trusted). */
  ignored: IgnoredKey[];
  /**
   * Whether a project definition (`.codetether/agents|commands/*.md`) with this text may use what only trusted
   * config may: always the env/option answer; from the store, only the exact content a `trusted` decision approved.
   */
  trustsFile: FileTrustCheck;
}

function envTrust(env: Env): boolean | undefined {
  const v = env.CODETETHER_TRUST_PROJECT;
  if (v === undefined || v === "") return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`CODETETHER_TRUST_PROJECT must be 1 or 0, got "${v}".`);
}

function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Decides whether the project folder of `cwd` is trusted (see `LoadConfigOptions.trustProject`). A stored `trusted`
 * decision covers `projectFile` only with the content it approved; pass `projectText` when it was read already.
 */
export function resolveProjectTrust(
  cwd: string,
  env: Env,
  projectFile?: string,
  trustProject?: boolean,
  projectText?: string,
): Omit<ProjectTrust, "ignored"> {
  const folder = projectFile ? projectFolder(cwd, projectFile) : realpathLoose(projectFolderLoose(cwd));
  const stored = folderTrust(folder, env);
  const decided = stored ? { decision: stored.decision, decidedFor: stored.folder } : {};
  const explicit = trustProject ?? envTrust(env);
  if (explicit !== undefined)
    return {
      folder,
      trusted: explicit,
      source: trustProject !== undefined ? "option" : "env",
      ...decided,
      trustsFile: () => explicit,
    };
  const trustsFile = trustedFileCheck(env);
  if (!stored) return { folder, trusted: false, source: "default", trustsFile };
  if (stored.decision === "trusted" && projectFile) {
    const text = projectText ?? readIfThere(projectFile);
    const approval = text === undefined ? "approved" : fileApproval(stored, projectFile, text);
    if (approval !== "approved")
      return {
        folder,
        trusted: false,
        source: "store",
        ...decided,
        unapproved: { file: path.join(folder, path.basename(projectFile)), reason: approval },
        trustsFile,
      };
  }
  return { folder, trusted: stored.decision === "trusted", source: "store", ...decided, trustsFile };
}

function projectFolderLoose(cwd: string): string {
  try {
    return projectFolder(cwd);
  } catch {
    return path.resolve(cwd); // a cwd that does not exist: nothing there to trust anyway
  }
}
