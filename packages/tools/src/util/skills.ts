import fs from "node:fs/promises";
import path from "node:path";
import {
  ConfinementError,
  type ConfinementPolicy,
  configDir,
  lazySchema,
  openFileConfined,
  realpathLoose,
} from "@codetether/core";
import { z } from "zod";

const FrontMatterSchema = lazySchema(() =>
  z.object({
    name: z.string().min(1),
    description: z.string().min(1),
  }),
);

export interface Skill {
  name: string;
  description: string;
  /** Absolute path of SKILL.md. */
  file: string;
  source: "project" | "user";
  /**
   * The body (after the front matter) of the very bytes whose front matter was validated: loading returns this
   * instead of reading the file again, so a SKILL.md swapped after discovery cannot change what is returned.
   */
  body: string;
}

/** A skill is instructions for the model; anything larger is not one (and is not read into memory). */
export const MAX_SKILL_BYTES = 1024 * 1024;

/** Directories searched, in priority order (a project skill shadows a user skill with the same name). */
export function skillDirs(
  workspaceRoot: string,
  userConfigDir: string = configDir(),
): Array<{
  dir: string;
  source: Skill["source"];
}> {
  return [
    { dir: path.join(workspaceRoot, ".codetether", "skills"), source: "project" },
    { dir: path.join(workspaceRoot, ".claude", "skills"), source: "project" },
    { dir: path.join(userConfigDir, "skills"), source: "user" },
  ];
}

/** Splits `---` YAML-style front matter (flat `key: value` lines) from the body. */
export function parseFrontMatter(text: string): { data: Record<string, string>; body: string } | undefined {
  const m = text.replace(/^\uFEFF/, "").match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/);
  if (!m) return undefined;
  const data: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = line.match(/^([A-Za-z0-9_-]+):\s*(.*)$/);
    if (!kv) continue;
    data[kv[1]!] = kv[2]!.trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  return { data, body: m[2]! };
}

export interface SkillDiscovery {
  skills: Skill[];
  /** Skill files that were skipped, with the reason (bad front matter, outside the allowed roots, not a file). */
  problems: string[];
}

class SkillFileError extends Error {}

/**
 * Reads SKILL.md through one confined open: the descriptor's real path must be inside `policy.roots` (a symlink
 * leaving them is refused), it must be a regular file (a FIFO is refused without blocking), and at most
 * {@link MAX_SKILL_BYTES} are read. Undefined when there is no SKILL.md.
 */
async function readSkillFile(file: string, policy: ConfinementPolicy): Promise<string | undefined> {
  let opened: Awaited<ReturnType<typeof openFileConfined>>;
  try {
    opened = await openFileConfined(file, policy);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (err instanceof ConfinementError) throw new SkillFileError(err.message);
    throw new SkillFileError(`cannot be read (${(err as Error).message})`);
  }
  try {
    // Read through the handle, bounded: the size from stat may change while reading.
    const buf = Buffer.alloc(Math.min(opened.size, MAX_SKILL_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await opened.handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buf.length) break;
    }
    if (length > MAX_SKILL_BYTES)
      throw new SkillFileError(
        `is larger than ${MAX_SKILL_BYTES} bytes; a skill holds instructions, so keep SKILL.md short and put ` +
          "reference material in files beside it.",
      );
    return buf.subarray(0, length).toString("utf8");
  } finally {
    await opened.handle.close();
  }
}

/**
 * Finds the skills. Each SKILL.md is opened once, confined: project skills to `projectPolicy` (default: the
 * workspace), user skills to the user's skills directory plus the project roots. The returned `body` comes from
 * the same bytes whose front matter was checked.
 */
export async function discoverSkills(
  workspaceRoot: string,
  userConfigDir?: string,
  projectPolicy: ConfinementPolicy = { roots: [workspaceRoot] },
): Promise<SkillDiscovery> {
  const byName = new Map<string, Skill>();
  const problems: string[] = [];
  for (const { dir, source } of skillDirs(workspaceRoot, userConfigDir)) {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    const policy: ConfinementPolicy =
      source === "project"
        ? projectPolicy
        : { ...projectPolicy, roots: [realpathLoose(dir), ...projectPolicy.roots] };
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory()) continue;
      const file = path.join(dir, entry.name, "SKILL.md");
      let text: string | undefined;
      try {
        text = await readSkillFile(file, policy);
      } catch (err) {
        if (!(err instanceof SkillFileError)) throw err;
        problems.push(`${file}: skipped: ${err.message}`);
        continue;
      }
      if (text === undefined) continue;
      const parsed = parseFrontMatter(text);
      const meta = FrontMatterSchema.safeParse(parsed?.data ?? {});
      if (!parsed || !meta.success) {
        problems.push(`${file}: needs front matter with "name" and "description" between --- lines`);
        continue;
      }
      if (!byName.has(meta.data.name))
        byName.set(meta.data.name, { ...meta.data, file, source, body: parsed.body.trim() });
    }
  }
  return { skills: [...byName.values()], problems };
}
