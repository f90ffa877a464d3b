import picomatch from "picomatch";
import type { PermissionRule } from "../permission/permission-rule.js";
import {
  type DefinitionDirs,
  type DefinitionSource,
  loadMarkdownDefs,
  stringField,
} from "./markdown-defs.js";

/** A sub-agent profile from `.codetether/agents/<name>.md`: its own system prompt, tools and permissions. */
export interface CustomAgent {
  name: string;
  description: string;
  model?: string;
  /** Tool ids or globs the agent may use (allow-list); undefined = every tool it would otherwise have. */
  tools?: string[];
  /** Extra rules, evaluated after the user's: they can only take permissions away (see `AgentGate`). */
  permissions: PermissionRule[];
  systemPrompt: string;
  source: DefinitionSource;
  file: string;
}

const ACTIONS = new Set(["allow", "ask", "deny"]);

/** `permissions:` entries are `<tool-glob>[ <path-glob>]: allow|ask|deny`. */
function parsePermissions(file: string, value: unknown): PermissionRule[] {
  if (value === undefined || value === "") return [];
  if (typeof value !== "object" || Array.isArray(value) || value === null)
    throw new Error(`${file}: "permissions" must be indented "tool: action" lines, e.g. "  bash: deny"`);
  return Object.entries(value as Record<string, string>).map(([key, action]) => {
    if (!ACTIONS.has(action))
      throw new Error(`${file}: permission "${key}" must be allow, ask or deny, got "${action}"`);
    const [tool = "", ...rest] = key.trim().split(/\s+/);
    const path = rest.join(" ");
    return { tool, ...(path ? { path } : {}), action: action as PermissionRule["action"] };
  });
}

function parseTools(file: string, value: unknown): string[] | undefined {
  if (value === undefined || value === "") return undefined;
  const list = typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : value;
  if (!Array.isArray(list)) throw new Error(`${file}: "tools" must be a list, e.g. [read, grep, glob]`);
  return list;
}

export async function loadCustomAgents(
  dirs: DefinitionDirs,
): Promise<{ agents: CustomAgent[]; problems: string[] }> {
  const { defs, problems } = await loadMarkdownDefs("agents", dirs);
  const agents: CustomAgent[] = [];
  for (const def of defs) {
    try {
      if (!def.body)
        throw new Error(`${def.file}: the agent has no system prompt (the Markdown body is empty)`);
      const model = stringField(def, "model");
      const tools = parseTools(def.file, def.data.tools);
      agents.push({
        name: def.name,
        description: stringField(def, "description") ?? def.body.split("\n")[0]?.slice(0, 80) ?? "",
        ...(model ? { model } : {}),
        ...(tools ? { tools } : {}),
        permissions: parsePermissions(def.file, def.data.permissions),
        systemPrompt: def.body,
        source: def.source,
        file: def.file,
      });
    } catch (err) {
      problems.push(`${(err as Error).message} (skipped)`);
    }
  }
  return { agents, problems };
}

/** The ids of `available` an agent may use: its allow-list (globs) or everything. */
export function agentToolIds(agent: Pick<CustomAgent, "tools">, available: readonly string[]): string[] {
  if (!agent.tools) return [...available];
  const match = picomatch(agent.tools);
  return available.filter((id) => match(id));
}
