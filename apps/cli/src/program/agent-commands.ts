import { type Command, Option } from "commander";
import { processIO } from "../io.js";
import { type Act, collect, parseCwdOption, parseIntOption } from "./act.js";

/** Commands for the agent itself: run, tui, swarm, ralph, rlm. Each action lazy-loads its implementation. */
export function registerAgentCommands(program: Command, act: Act): void {
  program
    .command("run")
    .description("Run the agent on one prompt, non-interactively (tools enabled)")
    .argument("[prompt...]", 'the prompt; "-" reads it from stdin')
    .option("-m, --model <provider/model>", "model to use, e.g. openai/gpt-4o")
    .option("-c, --continue", "continue the latest session of this directory")
    .option("-s, --session <id>", "continue a given session")
    .option("--json", "print newline-delimited JSON events instead of text")
    .option("--max-steps <n>", "maximum agent steps for this turn", parseIntOption("--max-steps"))
    .option("-y, --yes", "approve every tool call that a rule marks as ask (same as --auto-approve all)")
    .addOption(
      new Option("--auto-approve <mode>", "how to answer permission prompts when non-interactive").choices([
        "all",
        "safe",
        "none",
      ]),
    )
    .option("--compact", "compact the session history before running")
    .option("--cwd <dir>", "working directory (default: current directory)", parseCwdOption)
    .addOption(
      new Option(
        "--input-format <format>",
        'stream-json: one user turn per NDJSON line on stdin ({"type":"user","text":"…"}), events out',
      ).choices(["text", "stream-json"]),
    )
    .option("-f, --file <path>", "attach a text file or image to the prompt (repeatable)", collect, [])
    .option(
      "--command <name>",
      "run a custom command (.codetether/commands/<name>.md); the prompt words are its arguments",
    )
    .option("--agent <name>", "run as a custom agent (.codetether/agents/<name>.md)")
    .action(
      act(async (prompt: string[], options: Record<string, unknown>) => {
        const { runCommand } = await import("../commands/run.js");
        return runCommand({ prompt, ...options }, processIO());
      }),
    );
  program
    .command("swarm")
    .description("Split a task into sub-agents that run in parallel, then combine their results")
    .argument("<task...>", "the task")
    .addOption(
      new Option("--strategy <name>", "how to decompose")
        .choices(["auto", "domain", "data", "stage", "none"])
        .default("auto"),
    )
    .option("--max-subagents <n>", "sub-agents running at once", parseIntOption("--max-subagents"))
    .option("--max-steps <n>", "agent steps per sub-agent", parseIntOption("--max-steps"))
    .option("--timeout <seconds>", "time limit per sub-agent", parseIntOption("--timeout"))
    .option("-m, --model <provider/model>", "model to use")
    .option("--worktrees", "give each sub-agent its own git worktree, merged back at the end")
    .option("--agent <name>", "run every sub-agent as this custom agent (.codetether/agents/<name>.md)")
    .option("--json", "print newline-delimited JSON events")
    .action(
      act(async (task: string[], options: Record<string, unknown>) => {
        const { swarmCommand } = await import("../commands/swarm.js");
        return swarmCommand({ task, ...options }, processIO());
      }),
    );
  const ralph = program
    .command("ralph")
    .description("PRD-driven autonomous development (prd.json → stories → commits)");
  ralph
    .command("run")
    .description("Work through the stories of a PRD until every quality check passes")
    .option("--prd <file>", "the PRD file", "prd.json")
    .option("-m, --model <provider/model>", "model to use")
    .option("--max-iterations <n>", "iterations before stopping", parseIntOption("--max-iterations"))
    .option("--max-steps <n>", "agent steps per iteration", parseIntOption("--max-steps"))
    .option("--json", "print newline-delimited JSON events")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { ralphRunCommand } = await import("../commands/ralph.js");
        return ralphRunCommand(options, processIO());
      }),
    );
  ralph
    .command("create-prd")
    .description("Write a PRD template (or draft stories from --description with a model)")
    .requiredOption("--feature <name>", "the feature")
    .requiredOption("--project-name <name>", "the project")
    .option("-o, --output <file>", "where to write", "prd.json")
    .option("--description <text>", "describe the feature to have the model draft stories")
    .option("-m, --model <provider/model>", "model to use with --description")
    .option("--force", "overwrite an existing file")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { ralphCreatePrdCommand } = await import("../commands/ralph.js");
        return ralphCreatePrdCommand(options as { feature: string; projectName: string }, processIO());
      }),
    );
  ralph
    .command("status")
    .description("Show per-story progress")
    .option("--prd <file>", "the PRD file", "prd.json")
    .option("--json", "print JSON")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { ralphStatusCliCommand } = await import("../commands/ralph.js");
        return ralphStatusCliCommand(options, processIO());
      }),
    );
  program
    .command("rlm")
    .description("Answer a question about content larger than any context window (Recursive Language Model)")
    .argument("<question...>", "the question")
    .option("-f, --file <path>", "content file (repeatable)", collect, [])
    .option("--content <text>", 'content as text; "-" reads stdin')
    .addOption(
      new Option("--content-type <type>", "content type").choices([
        "auto",
        "code",
        "logs",
        "conversation",
        "documents",
      ]),
    )
    .option("-m, --model <provider/model>", "model to use")
    .option("--max-iterations <n>", "exploration steps", parseIntOption("--max-iterations"))
    .option("--max-depth <n>", "sub-query recursion depth", parseIntOption("--max-depth"))
    .option("--json", "print the result as JSON")
    .option("--verbose", "progress on stderr")
    .action(
      act(async (question: string[], options: Record<string, unknown>) => {
        const { rlmCommand } = await import("../commands/rlm.js");
        return rlmCommand({ question, ...options }, processIO());
      }),
    );
  program
    .command("tui")
    .description("Interactive terminal UI: streaming chat, tool calls, model and session pickers")
    .option("-m, --model <provider/model>", "model to start with")
    .option("-c, --continue", "continue the latest session of this directory")
    .option("-s, --session <id>", "resume a given session")
    .option(
      "--theme <name>",
      "marketing, dark, light, solarized-dark or solarized-light (default: [ui] theme)",
    )
    .option("--layout <name>", "classic or webview")
    .option("--cwd <dir>", "working directory (default: current directory)", parseCwdOption)
    .action(
      act(async (options: Record<string, unknown>) => {
        const { tuiCommand } = await import("../commands/tui.js");
        return tuiCommand(options, processIO());
      }),
    );
}
