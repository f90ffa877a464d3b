import fs from "node:fs/promises";
import path from "node:path";
import type { FileTrustCheck } from "../config/project-trust-store.js";
import { isInsideAny, realpathLoose } from "../permission/workspace-confinement.js";
import { openFileConfined } from "../util/confined-file.js";
import { type FrontMatterValue, parseFrontMatter } from "./front-matter.js";

/** Where a definition came from: the project (`.codetether/…`) or the user's config dir. */
export type DefinitionSource = "project" | "user";

export interface MarkdownDef {
  name: string;
  file: string;
  source: DefinitionSource;
  data: Record<string, FrontMatterValue>;
  body: string;
}

export interface DefinitionDirs {
  /** The project root (`<root>/.codetether/<kind>`); omit to load user definitions only. */
  projectRoot?: string;
  /** The user config dir (`$XDG_CONFIG_HOME/codetether`). */
  userConfigDir: string;
  /**
   * False in a folder the user has not trusted (`codetether trust`): project definitions still apply their prompts
   * and can narrow tools and permissions, but their `model` is ignored (a project must not pick what you pay for).
   * A check (`ProjectTrust.trustsFile`) decides per file: only a definition whose content the user approved with
   * `codetether trust` keeps its `model`, not one the agent added or changed afterwards.
   */
  projectTrusted?: boolean | FileTrustCheck;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Whether a definition file with this text is trusted (the user's own always are). */
type Trusts = (file: string, text: string) => boolean;

/** A definition is a prompt; anything larger is not one (and is not read into memory). */
const MAX_DEF_BYTES = 1024 * 1024;

/**
 * One open per file: its real path must be inside `inside` when given (a project's definitions: the project, so a
 * symlink a repository ships to `~/.ssh/id_rsa` is refused) and it must be a regular file (a FIFO is refused
 * without blocking). The text parsed, trusted and used is the text of that one read.
 */
async function readDefinition(file: string, inside: string | undefined): Promise<string> {
  const { handle, real, size } = await openFileConfined(file, { roots: ["/"] });
  try {
    if (inside && !isInsideAny([inside], real))
      throw new Error(
        `resolves to ${real}, outside the project (${inside}); a project's definitions must be files inside it`,
      );
    if (size > MAX_DEF_BYTES) throw new Error(`larger than ${MAX_DEF_BYTES} bytes`);
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

async function readDir(
  dir: string,
  source: DefinitionSource,
  problems: string[],
  /** The real folder every definition must resolve into (a project's); undefined for your own. */
  inside: string | undefined,
  trusts: Trusts = () => true,
): Promise<MarkdownDef[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith(".md")).sort();
  } catch {
    return [];
  }
  const out: MarkdownDef[] = [];
  for (const entry of names) {
    const name = entry.slice(0, -3);
    const file = path.join(dir, entry);
    if (!NAME.test(name)) {
      problems.push(`${file}: the name must be letters, digits, ".", "_" or "-" (skipped)`);
      continue;
    }
    try {
      const text = await readDefinition(file, inside);
      const parsed = parseFrontMatter(text);
      const data = parsed?.data ?? {};
      if (data.model !== undefined && !trusts(file, text)) {
        problems.push(
          `${file}: "model" ignored: this folder is not trusted, or this file is new or changed since it was (review it, then: codetether trust <folder>)`,
        );
        delete data.model;
      }
      out.push({ name, file, source, data, body: (parsed ? parsed.body : text).trim() });
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message} (skipped)`);
    }
  }
  return out;
}

/**
 * `<kind>/*.md` from the user config dir and the project; a project definition shadows a user one of the same name.
 * Unreadable files are reported in `problems`, never fatal.
 */
export async function loadMarkdownDefs(
  kind: "commands" | "agents",
  dirs: DefinitionDirs,
): Promise<{ defs: MarkdownDef[]; problems: string[] }> {
  const problems: string[] = [];
  const byName = new Map<string, MarkdownDef>();
  // Your own definitions may link anywhere (dotfiles); only a FIFO or device is refused.
  for (const def of await readDir(path.join(dirs.userConfigDir, kind), "user", problems, undefined))
    byName.set(def.name, def);
  if (dirs.projectRoot) {
    const trusted = dirs.projectTrusted;
    const trusts: Trusts = typeof trusted === "function" ? trusted : () => trusted !== false;
    for (const def of await readDir(
      path.join(dirs.projectRoot, ".codetether", kind),
      "project",
      problems,
      realpathLoose(dirs.projectRoot),
      trusts,
    ))
      byName.set(def.name, def);
  }
  return { defs: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), problems };
}

/** A front-matter field as a string, or a problem when it is a list/map. */
export function stringField(def: MarkdownDef, key: string): string | undefined {
  const v = def.data[key];
  if (v === undefined || v === "") return undefined;
  if (typeof v !== "string") throw new Error(`${def.file}: "${key}" must be a single value`);
  return v;
}
