import path from "node:path";
import { escapeControls, sanitizeTerminalText, toJsonText, toolHooksOnly } from "@codetether/core";
import { createPrd } from "../prd/create-prd.js";
import { formatRalphStatus, ralphStatus } from "../run/ralph-status.js";
import type { RalphEvent } from "../run/ralph-types.js";
import { runRalph } from "../run/run-ralph.js";
import type { CommandIO, RalphCommandDeps } from "./command-io.js";

function fail(io: CommandIO, err: unknown): number {
  io.stderr.write(`error: ${sanitizeTerminalText((err as Error).message ?? String(err))}\n`);
  return 1;
}

function describeEvent(event: RalphEvent): string | undefined {
  switch (event.type) {
    case "started":
      return `ralph: ${event.remaining} stories to go${event.branch ? ` on branch ${event.branch}` : ""}`;
    case "iteration-start":
      return `iteration ${event.iteration}: ${event.storyId} ${event.title}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}`;
    case "agent":
      return event.event.type === "tool-start" ? `  ${event.storyId} · ${event.event.tool}` : undefined;
    case "check":
      return `  check ${event.result.name}: ${event.result.passed ? "pass" : `FAIL (exit ${event.result.exitCode ?? "-"})`}`;
    case "story-end":
      return event.passed
        ? `  ${event.storyId} passed${event.commit ? ` · commit ${event.commit.slice(0, 8)}` : ""}`
        : `  ${event.storyId} not passed: ${event.reason ?? ""}`;
    case "warning":
      return `warning: ${event.message}`;
    case "complete":
      return `ralph ${event.result.status}: ${event.result.passed.length} passing, ${event.result.remaining.length} remaining`;
  }
}

/** `codetether ralph run --prd prd.json [-m model] [--max-iterations N] [--json]`. Exit 0 when every story passes. */
export async function runRalphCommand(
  options: { prd?: string; model?: string; maxIterations?: number; maxSteps?: number; json?: boolean },
  deps: RalphCommandDeps,
  io: CommandIO,
): Promise<number> {
  try {
    const { provider, model, modelInfo } = await deps.resolveModel(options.model);
    const result = await runRalph({
      prdPath: path.resolve(deps.cwd, options.prd ?? "prd.json"),
      provider,
      model,
      ...(modelInfo ? { modelInfo } : {}),
      tools: deps.tools,
      ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
      ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      // A policy on tool calls holds for every agent; the story agents' prompts and answers are not the user's.
      ...(deps.hooks ? { hooks: toolHooksOnly(deps.hooks) } : {}),
      ...(deps.sandbox ? { sandbox: deps.sandbox } : {}),
      onEvent: (event) => {
        if (options.json) {
          // Agent text deltas would flood the stream; tool events and the rest are kept.
          if (event.type === "agent" && event.event.type.endsWith("delta")) return;
          io.stdout.write(toJsonText(event));
        } else {
          const line = describeEvent(event);
          // Story titles, agent text and check output are untrusted: they must not drive the terminal.
          if (line) io.stdout.write(`${sanitizeTerminalText(line)}\n`);
        }
      },
    });
    // 1: stories remain (max iterations reached or blocked); the CLI keeps 2 for usage errors.
    return result.status === "completed" ? 0 : result.status === "aborted" ? 130 : 1;
  } catch (err) {
    return fail(io, err);
  }
}

/** `codetether ralph create-prd --feature X --project-name Y [-o prd.json] [--description D -m model] [--force]`. */
export async function createPrdCommand(
  options: {
    feature: string;
    projectName: string;
    output?: string;
    description?: string;
    model?: string;
    force?: boolean;
  },
  deps: Pick<RalphCommandDeps, "cwd" | "signal"> & Partial<Pick<RalphCommandDeps, "resolveModel">>,
  io: CommandIO,
): Promise<number> {
  try {
    const file = path.resolve(deps.cwd, options.output ?? "prd.json");
    const llm = options.description && deps.resolveModel ? await deps.resolveModel(options.model) : undefined;
    const prd = await createPrd({
      feature: options.feature,
      projectName: options.projectName,
      path: file,
      ...(options.description ? { description: options.description } : {}),
      ...(llm ? { provider: llm.provider, model: llm.model } : {}),
      ...(options.force ? { overwrite: true } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    io.stdout.write(`Wrote ${file} with ${prd.user_stories.length} stories (branch ${prd.branch_name}).\n`);
    return 0;
  } catch (err) {
    return fail(io, err);
  }
}

/** `codetether ralph status [--prd prd.json] [--json]`. */
export async function ralphStatusCommand(
  options: { prd?: string; json?: boolean },
  deps: Pick<RalphCommandDeps, "cwd">,
  io: CommandIO,
): Promise<number> {
  try {
    const status = await ralphStatus(path.resolve(deps.cwd, options.prd ?? "prd.json"));
    // The PRD is the model's to write (the prd and ralph tools): its titles must not drive the terminal.
    io.stdout.write(
      options.json
        ? `${JSON.stringify(status, null, 2).split("\n").map(escapeControls).join("\n")}\n`
        : `${sanitizeTerminalText(formatRalphStatus(status))}\n`,
    );
    return 0;
  } catch (err) {
    return fail(io, err);
  }
}
