import path from "node:path";
import { Agent, createSession } from "@codetether/core";
import { nextStory } from "../prd/next-story.js";
import { loadPrd, savePrd } from "../prd/prd-file.js";
import type { Prd, UserStory } from "../prd/prd-schema.js";
import { discardAttempt, snapshotWorktree } from "./attempt-snapshot.js";
import { changedFiles, commitAll, ensureBranch, isGitRepo, recentLog, repoTop } from "./git.js";
import { appendProgress, lastIteration, readProgressTail } from "./progress-log.js";
import { type CheckResult, runQualityChecks } from "./quality-checks.js";
import type { RalphEvent, RalphOptions, RalphResult } from "./ralph-types.js";
import { buildStoryPrompt, RALPH_SYSTEM_PROMPT } from "./story-prompt.js";

function failureReport(agentError: string | undefined, checks: CheckResult[]): string {
  const parts: string[] = [];
  if (agentError) parts.push(`The agent did not finish: ${agentError}`);
  for (const check of checks.filter((c) => !c.passed))
    parts.push(
      `Check "${check.name}" (\`${check.command}\`) exited ${check.exitCode ?? "abnormally"}:\n${check.output.trim()}`,
    );
  return parts.join("\n\n");
}

function progressEntry(input: {
  iteration: number;
  story: UserStory;
  status: string;
  summary: string;
  checks: CheckResult[];
  failure: string;
  commit?: string;
  /** The failed attempt's changes, undone in the working tree and kept here as a patch. */
  discarded?: string;
}): string {
  const checks = input.checks.map(
    (c) => `- ${c.name}: ${c.passed ? "pass" : "FAIL"} (\`${c.command}\`, exit ${c.exitCode ?? "-"})`,
  );
  return [
    "",
    "---",
    "",
    `## Iteration ${input.iteration} - ${input.story.id}: ${input.story.title} (${new Date().toISOString()})`,
    "",
    `**Status:** ${input.status}${input.commit ? ` (commit ${input.commit.slice(0, 12)})` : ""}`,
    "",
    "### Summary",
    input.summary.trim().slice(0, 3000) || "(no summary)",
    ...(checks.length ? ["", "### Quality checks", ...checks] : []),
    ...(input.failure ? ["", "### Failure", input.failure.slice(0, 6000)] : []),
    ...(input.discarded
      ? [
          "",
          "### Discarded changes",
          "Undone in the working tree after the failure:",
          "```diff",
          input.discarded.trimEnd(),
          "```",
        ]
      : []),
    "",
  ].join("\n");
}

/**
 * The Ralph loop. Each iteration takes the next ready story, runs a fresh agent on it, then the
 * quality checks; a story passes only when every configured check exits 0, and is then marked in
 * prd.json (atomically) and committed. State lives in prd.json and progress.txt, so a crashed or
 * aborted run resumes where it stopped.
 */
export async function runRalph(options: RalphOptions): Promise<RalphResult> {
  const prdPath = path.resolve(options.prdPath);
  const cwd = path.resolve(options.cwd ?? path.dirname(prdPath));
  const progressPath = path.resolve(options.progressPath ?? path.join(path.dirname(prdPath), "progress.txt"));
  const emit = (event: RalphEvent) => options.onEvent?.(event);
  const IGNORED_DIRTY = new Set([prdPath, progressPath]);
  const maxIterations = options.maxIterations ?? 10;
  const maxAttempts = options.maxAttemptsPerStory ?? 3;
  if (!Number.isInteger(maxIterations) || maxIterations < 1)
    throw new Error(`maxIterations must be a positive integer, got ${options.maxIterations}.`);
  // The PRD is owned by the loop while it runs: the agent cannot mark its own story as passing.
  let prd: Prd = await loadPrd(prdPath);
  const repo = await isGitRepo(cwd);
  if (prd.branch_name) {
    if (!repo)
      throw new Error(
        `prd.json sets branch_name "${prd.branch_name}" but ${cwd} is not a git repository; run \`git init\` or clear branch_name.`,
      );
    await ensureBranch(cwd, prd.branch_name);
  }
  const dirty = repo ? (await changedFiles(cwd)).filter((f) => !IGNORED_DIRTY.has(path.resolve(cwd, f))) : [];
  if (dirty.length)
    emit({
      type: "warning",
      message: `Uncommitted changes (${dirty.slice(0, 5).join(", ")}${dirty.length > 5 ? ", …" : ""}) will be included in the first story commit; commit or stash them first to keep commits per story.`,
    });
  emit({
    type: "started",
    prdPath,
    branch: prd.branch_name,
    remaining: prd.user_stories.filter((s) => !s.passes).length,
  });
  const failures = new Map<string, string>();
  const attempts = new Map<string, number>();
  const commits: RalphResult["commits"] = [];
  let iterationNumber = await lastIteration(progressPath);
  let iterations = 0;
  let status: RalphResult["status"] = "max_iterations";
  while (iterations < maxIterations) {
    if (options.signal?.aborted) {
      status = "aborted";
      break;
    }
    const exhausted = new Set([...attempts].filter(([, n]) => n >= maxAttempts).map(([id]) => id));
    const story = nextStory(prd, exhausted);
    if (!story) {
      status = nextStory(prd) ? "blocked" : "completed";
      break;
    }
    iterations++;
    iterationNumber++;
    const attempt = (attempts.get(story.id) ?? 0) + 1;
    attempts.set(story.id, attempt);
    emit({
      type: "iteration-start",
      iteration: iterationNumber,
      storyId: story.id,
      title: story.title,
      attempt,
    });
    const prompt = buildStoryPrompt({
      prd,
      story,
      progress: await readProgressTail(progressPath),
      gitLog: repo ? await recentLog(cwd) : "",
      ...(failures.has(story.id) ? { lastFailure: failures.get(story.id)! } : {}),
    });
    // What the working tree was before this attempt, so a failed attempt leaves nothing behind for the next
    // story's commit.
    const top = repo ? await repoTop(cwd) : undefined;
    const baseline = top ? await snapshotWorktree(top) : undefined;
    const agent = new Agent({
      provider: options.provider,
      model: options.model,
      ...(options.modelInfo ? { modelInfo: options.modelInfo } : {}),
      tools: options.tools,
      cwd,
      systemPrompt: RALPH_SYSTEM_PROMPT,
      maxSteps: options.maxSteps ?? 30,
      session: createSession({
        cwd,
        model: `${options.provider.id}/${options.model}`,
        title: `ralph ${story.id}`,
      }),
      ...(options.store ? { store: options.store } : {}),
      ...(options.hooks ? { hooks: options.hooks } : {}),
    });
    const unsubscribe = agent.subscribe((event) => emit({ type: "agent", storyId: story.id, event }));
    const last = await agent
      .runToEnd(prompt, options.signal ? { signal: options.signal } : {})
      .catch((err: Error) => ({ type: "error" as const, message: err.message, kind: "error" }))
      .finally(unsubscribe);
    // Undo any edit the agent made to the PRD (passes flags, stories) before checks and commit.
    await savePrd(prdPath, prd);
    if (options.signal?.aborted || (last.type === "error" && last.kind === "aborted")) {
      await appendProgress(
        progressPath,
        progressEntry({
          iteration: iterationNumber,
          story,
          status: "aborted",
          summary: "",
          checks: [],
          failure: "Cancelled by the user; the story will be retried.",
        }),
      );
      emit({
        type: "story-end",
        iteration: iterationNumber,
        storyId: story.id,
        passed: false,
        reason: "aborted",
      });
      status = "aborted";
      break;
    }
    const agentError =
      last.type === "error" ? last.message : last.reason === "max_steps" ? "it ran out of steps" : undefined;
    const checks = agentError
      ? []
      : await runQualityChecks(prd.quality_checks, {
          cwd,
          ...(options.checkTimeoutMs ? { timeoutMs: options.checkTimeoutMs } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.sandbox ? { sandbox: options.sandbox } : {}),
          onResult: (result) => emit({ type: "check", storyId: story.id, result }),
        });
    const passed = !agentError && checks.every((c) => c.passed) && !options.signal?.aborted;
    const summary = last.type === "done" ? last.text : "";
    if (!passed) {
      const failure = failureReport(agentError, checks) || "Cancelled during the quality checks.";
      failures.set(story.id, failure);
      const discarded =
        top && baseline ? await discardAttempt(top, baseline, [prdPath, progressPath]) : undefined;
      await appendProgress(
        progressPath,
        progressEntry({
          iteration: iterationNumber,
          story,
          status: "failed",
          summary,
          checks,
          failure,
          ...(discarded ? { discarded } : {}),
        }),
      );
      emit({
        type: "story-end",
        iteration: iterationNumber,
        storyId: story.id,
        passed: false,
        reason: failure.split("\n")[0]!,
      });
      continue;
    }
    prd = {
      ...prd,
      user_stories: prd.user_stories.map((s) => (s.id === story.id ? { ...s, passes: true } : s)),
    };
    await savePrd(prdPath, prd);
    await appendProgress(
      progressPath,
      progressEntry({ iteration: iterationNumber, story, status: "passed", summary, checks, failure: "" }),
    );
    const commit = repo ? await commitAll(cwd, `feat(${story.id.toLowerCase()}): ${story.title}`) : undefined;
    if (commit) commits.push({ storyId: story.id, commit });
    failures.delete(story.id);
    emit({
      type: "story-end",
      iteration: iterationNumber,
      storyId: story.id,
      passed: true,
      ...(commit ? { commit } : {}),
    });
  }
  if (status === "max_iterations" && !nextStory(prd)) status = "completed";
  const result: RalphResult = {
    status,
    iterations,
    passed: prd.user_stories.filter((s) => s.passes).map((s) => s.id),
    remaining: prd.user_stories.filter((s) => !s.passes).map((s) => s.id),
    commits,
    prd,
  };
  emit({ type: "complete", result });
  return result;
}
