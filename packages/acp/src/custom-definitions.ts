import {
  type CustomAgent,
  type CustomCommand,
  configDir,
  loadCustomAgents,
  loadCustomCommands,
} from "@codetether/core";
import type { AcpAgentOptions } from "./options.js";

/**
 * The custom commands and agents of an editor session: the host's loaders when it has them, else the workspace's
 * `.codetether/` and the user config dir. A project's `model` lines apply only in a folder the host says is trusted
 * (default: not trusted), so a cloned repository cannot pick which provider gets the code. Never throws.
 */
export class CustomDefinitions {
  private commands: Promise<CustomCommand[]> | undefined;
  private agents: Promise<CustomAgent[]> | undefined;

  constructor(
    private readonly options: AcpAgentOptions,
    private readonly cwd: string,
    private readonly workspaceRoot: string,
  ) {}

  private dirs() {
    return {
      projectRoot: this.workspaceRoot,
      userConfigDir: configDir(),
      projectTrusted: this.options.projectTrusted?.(this.cwd) ?? false,
    };
  }

  private report(kind: string, problems: string[]): void {
    for (const problem of problems) this.options.log?.(`custom ${kind}: ${problem}`);
  }

  customCommands(): Promise<CustomCommand[]> {
    this.commands ??= (
      this.options.customCommands?.(this.cwd) ??
      loadCustomCommands(this.dirs()).then((r) => {
        this.report("commands", r.problems);
        return r.commands;
      })
    ).catch((err: unknown) => {
      this.options.log?.(`custom commands: ${(err as Error).message}`);
      return [];
    });
    return this.commands;
  }

  customAgents(): Promise<CustomAgent[]> {
    this.agents ??= (
      this.options.customAgents?.(this.cwd) ??
      loadCustomAgents(this.dirs()).then((r) => {
        this.report("agents", r.problems);
        return r.agents;
      })
    ).catch((err: unknown) => {
      this.options.log?.(`custom agents: ${(err as Error).message}`);
      return [];
    });
    return this.agents;
  }

  /** The agent named `name` (case-insensitive), or an error naming the ones that exist. */
  async findAgent(name: string): Promise<CustomAgent> {
    const agents = await this.customAgents();
    const agent = agents.find((a) => a.name.toLowerCase() === name.toLowerCase());
    if (!agent)
      throw new Error(
        `No custom agent "${name}". Defined: ${agents.map((a) => a.name).join(", ") || "(none)"}.`,
      );
    return agent;
  }
}
