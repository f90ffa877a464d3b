import type { Prd, UserStory } from "./prd-schema.js";

/** Stories not yet passed whose dependencies have all passed. */
export function readyStories(prd: Prd): UserStory[] {
  const passed = new Set(prd.user_stories.filter((s) => s.passes).map((s) => s.id));
  return prd.user_stories.filter((s) => !s.passes && s.depends_on.every((d) => passed.has(d)));
}

/**
 * The story to work on next: ready, then highest priority (1 first), then simplest, then file order.
 * Stories in `skip` (e.g. out of attempts this run) are passed over.
 */
export function nextStory(prd: Prd, skip: ReadonlySet<string> = new Set()): UserStory | undefined {
  return readyStories(prd)
    .filter((story) => !skip.has(story.id))
    .map((story, index) => ({ story, index }))
    .sort(
      (a, b) =>
        a.story.priority - b.story.priority || a.story.complexity - b.story.complexity || a.index - b.index,
    )[0]?.story;
}
