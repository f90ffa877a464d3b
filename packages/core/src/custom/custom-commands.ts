import {
  type DefinitionDirs,
  type DefinitionSource,
  loadMarkdownDefs,
  stringField,
} from "./markdown-defs.js";

/** A prompt template from `.codetether/commands/<name>.md` or `$XDG_CONFIG_HOME/codetether/commands/<name>.md`. */
export interface CustomCommand {
  name: string;
  description: string;
  /** `provider/model` to run it with. */
  model?: string;
  /** Custom agent to run it as. */
  agent?: string;
  template: string;
  source: DefinitionSource;
  file: string;
}

export async function loadCustomCommands(
  dirs: DefinitionDirs,
): Promise<{ commands: CustomCommand[]; problems: string[] }> {
  const { defs, problems } = await loadMarkdownDefs("commands", dirs);
  const commands: CustomCommand[] = [];
  for (const def of defs) {
    try {
      const model = stringField(def, "model");
      const agent = stringField(def, "agent");
      if (!def.body) throw new Error(`${def.file}: the command has no prompt (the Markdown body is empty)`);
      commands.push({
        name: def.name,
        description: stringField(def, "description") ?? def.body.split("\n")[0]?.slice(0, 80) ?? "",
        ...(model ? { model } : {}),
        ...(agent ? { agent } : {}),
        template: def.body,
        source: def.source,
        file: def.file,
      });
    } catch (err) {
      problems.push(`${(err as Error).message} (skipped)`);
    }
  }
  return { commands, problems };
}

/** Splits arguments like a shell would for `$1…$9`: whitespace-separated, "double" or 'single' quotes group. */
export function splitArguments(args: string): string[] {
  const out: string[] = [];
  for (const m of args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

/**
 * The prompt of a command: `$ARGUMENTS` becomes the whole argument string, `$1`…`$9` the positional arguments
 * (empty when missing). A template that uses neither gets the arguments appended, so they are never lost.
 */
export function expandCommand(template: string, args: string): string {
  const positional = splitArguments(args);
  let used = false;
  const out = template.replace(/\$(ARGUMENTS|[1-9])/g, (_, key: string) => {
    used = true;
    return key === "ARGUMENTS" ? args : (positional[Number(key) - 1] ?? "");
  });
  return used || !args.trim() ? out : `${out}\n\n${args}`;
}
