import type { Prd, UserStory } from "../prd/prd-schema.js";

export const RALPH_SYSTEM_PROMPT = `You are codetether in Ralph mode: you implement one user story of a PRD per session.
Work autonomously with the tools: read the code, make focused changes, and run the project's checks yourself.
Do not edit prd.json or progress.txt; the Ralph loop maintains them. Do not commit; the loop commits when every
quality check passes. Finish with a short summary: what you changed, what you learned, what is left.`;

/** The memory a fresh agent gets for one iteration: PRD, story, progress so far, git log, last failure. */
export function buildStoryPrompt(input: {
  prd: Prd;
  story: UserStory;
  progress: string;
  gitLog: string;
  lastFailure?: string;
}): string {
  const { prd, story } = input;
  const checks = Object.entries(prd.quality_checks)
    .map(([name, cmd]) => `- ${name}: \`${cmd}\``)
    .join("\n");
  const others = prd.user_stories
    .map(
      (s) =>
        `- [${s.passes ? "x" : " "}] ${s.id}: ${s.title}${s.depends_on.length ? ` (after ${s.depends_on.join(", ")})` : ""}`,
    )
    .join("\n");
  return [
    `# PRD: ${prd.project} — ${prd.feature}`,
    prd.description ?? "",
    prd.technical_requirements.length
      ? `## Technical requirements\n${prd.technical_requirements.map((r) => `- ${r}`).join("\n")}`
      : "",
    `## Stories\n${others}`,
    `## Current story: ${story.id} — ${story.title}\n${story.description}`,
    `### Acceptance criteria\n${story.acceptance_criteria.map((c) => `- ${c}`).join("\n") || "- (none listed)"}`,
    `## Quality checks (all must exit 0 for the story to pass)\n${checks || "- (none configured)"}`,
    input.lastFailure ? `## The previous attempt at this story failed\n${input.lastFailure}` : "",
    `## Previous progress (progress.txt)\n${input.progress.trim() || "(none yet)"}`,
    `## Recent commits\n${input.gitLog || "(none)"}`,
    `Implement story ${story.id} now, then end with: STORY_COMPLETE: ${story.id}`,
  ]
    .filter(Boolean)
    .join("\n\n");
}
