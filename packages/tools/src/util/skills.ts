import fs from "node:fs/promises";
import path from "node:path";
import { configDir, lazySchema } from "@codetether/core";
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
}

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
  /** Skill files that were skipped, with the reason (bad front matter). */
  problems: string[];
}

export async function discoverSkills(workspaceRoot: string, userConfigDir?: string): Promise<SkillDiscovery> {
  const byName = new Map<string, Skill>();
  const problems: string[] = [];
  for (const { dir, source } of skillDirs(workspaceRoot, userConfigDir)) {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory()) continue;
      const file = path.join(dir, entry.name, "SKILL.md");
      const text = await fs.readFile(file, "utf8").catch(() => undefined);
      if (text === undefined) continue;
      const parsed = parseFrontMatter(text);
      const meta = FrontMatterSchema.safeParse(parsed?.data ?? {});
      if (!meta.success) {
        problems.push(`${file}: needs front matter with "name" and "description" between --- lines`);
        continue;
      }
      if (!byName.has(meta.data.name)) byName.set(meta.data.name, { ...meta.data, file, source });
    }
  }
  return { skills: [...byName.values()], problems };
}
