import path from "node:path";
import {
  closestNames,
  defineTool,
  lazySchema,
  type Tool,
  toolFilePolicy,
  withJsonSchema,
} from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { fail } from "./util/result.js";
import { discoverSkills } from "./util/skills.js";

export const skillParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      action: z.enum(["list", "load"]).describe("list the skills, or load one"),
      name: z.string().min(1).optional().describe("Skill name (for load)"),
    }),
  ),
  TOOL_JSON_SCHEMAS.skill,
);

export interface SkillToolOptions {
  /** User config dir holding `skills/` (default: the XDG config dir). */
  userConfigDir?: string;
}

export function createSkillTool(options: SkillToolOptions = {}): Tool<typeof skillParameters> {
  return defineTool({
    id: "skill",
    description: loadDescription(new URL("./skill.txt", import.meta.url)),
    kind: "read",
    parameters: skillParameters,
    async execute(args, ctx) {
      // Project skills are confined like the read tool (workspace, allowed_paths, deny rules on the real path).
      const { skills, problems } = await discoverSkills(
        ctx.workspaceRoot,
        options.userConfigDir,
        toolFilePolicy(ctx, "skill", "read"),
      );
      const problemNote = problems.length ? `\n\nSkipped invalid skills:\n${problems.join("\n")}` : "";
      if (args.action === "list") {
        if (skills.length === 0)
          return {
            output:
              "No skills found. Skills live in .codetether/skills/<name>/SKILL.md or .claude/skills/<name>/SKILL.md " +
              `in the project, or in the user's config dir under skills/.${problemNote}`,
            metadata: { skills: [] },
          };
        return {
          output: skills.map((s) => `- ${s.name} (${s.source}): ${s.description}`).join("\n") + problemNote,
          metadata: { skills: skills.map((s) => s.name) },
        };
      }
      if (!args.name) return fail('action "load" needs `name`; call with action "list" to see the skills.');
      // Only discovered skills can be loaded, so a name can never be used to read arbitrary files.
      const skill = skills.find((s) => s.name === args.name);
      if (!skill) {
        const close = closestNames(
          args.name,
          skills.map((s) => s.name),
          3,
        );
        return fail(
          `No skill named "${args.name}".` +
            (close.length ? ` Did you mean: ${close.join(", ")}?` : "") +
            ` Available: ${skills.map((s) => s.name).join(", ") || "none"}.${problemNote}`,
          { error: "not_found" },
        );
      }
      // The body read (confined, once) and validated during discovery: the file is not opened a second time.
      return {
        output: `# Skill: ${skill.name}\nBase directory: ${path.dirname(skill.file)}\n\n${skill.body}`,
        metadata: { name: skill.name, file: skill.file },
      };
    },
  });
}

export const skillTool = createSkillTool();
