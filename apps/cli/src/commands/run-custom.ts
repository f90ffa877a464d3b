import {
  type CustomAgent,
  type DefinitionDirs,
  expandCommand,
  loadCustomAgents,
  loadCustomCommands,
} from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";

/** What `run --command` / `--agent` resolve to: the prompt to send, and the model and agent to use. */
export interface CustomSelection {
  prompt: string;
  model?: string;
  agent?: CustomAgent;
}

const names = (list: Array<{ name: string }>) =>
  list.length ? list.map((d) => d.name).join(", ") : "(none)";

/**
 * Expands `--command <name>` with the prompt words as its arguments and looks up `--agent <name>` (or the command's
 * `agent`). A missing name is a usage error that lists what exists and where definitions live.
 */
export async function resolveCustom(
  options: { command?: string; agent?: string; prompt: string },
  dirs: DefinitionDirs,
  warn: (text: string) => void,
): Promise<CustomSelection> {
  let prompt = options.prompt;
  let model: string | undefined;
  let agentName = options.agent;
  if (options.command) {
    const { commands, problems } = await loadCustomCommands(dirs);
    for (const p of problems) warn(`codetether: custom command ${p}\n`);
    const command = commands.find((c) => c.name === options.command);
    if (!command)
      throw new CliError(
        `No custom command "${options.command}". Defined: ${names(commands)}. ` +
          "Add one as .codetether/commands/<name>.md (project) or <config dir>/commands/<name>.md (user).",
        ExitCode.Usage,
      );
    prompt = expandCommand(command.template, options.prompt);
    model = command.model;
    agentName ??= command.agent;
  }
  if (!agentName) return { prompt, ...(model ? { model } : {}) };
  const { agents, problems } = await loadCustomAgents(dirs);
  for (const p of problems) warn(`codetether: custom agent ${p}\n`);
  const agent = agents.find((a) => a.name === agentName);
  if (!agent)
    throw new CliError(
      `No custom agent "${agentName}". Defined: ${names(agents)}. ` +
        "Add one as .codetether/agents/<name>.md (project) or <config dir>/agents/<name>.md (user).",
      ExitCode.Usage,
    );
  model ??= agent.model;
  return { prompt, agent, ...(model ? { model } : {}) };
}
