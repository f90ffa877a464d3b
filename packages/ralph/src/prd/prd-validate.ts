import type { z } from "zod";
import { type Prd, PrdSchema } from "./prd-schema.js";

/** A PRD that cannot be used; `issues` name the story and field of each problem. */
export class PrdError extends Error {
  override name = "PrdError";
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Invalid PRD ${source}:\n${issues.map((i) => `- ${i}`).join("\n")}`);
  }
}

function storyLabel(raw: unknown, index: number): string {
  const stories = (raw as { user_stories?: unknown })?.user_stories;
  const story = Array.isArray(stories) ? (stories[index] as { id?: unknown } | undefined) : undefined;
  return typeof story?.id === "string" && story.id
    ? `story "${story.id}" (user_stories[${index}])`
    : `user_stories[${index}]`;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const [head, index, ...rest] = issue.path;
  if (head === "user_stories" && typeof index === "number") {
    const field = rest.length ? `field "${rest.join(".")}"` : "entry";
    return `${storyLabel(raw, index)} ${field}: ${issue.message}`;
  }
  return `field "${issue.path.join(".") || "(root)"}": ${issue.message}`;
}

/** Duplicate ids, unknown or self dependencies, and cycles, each named. */
export function dependencyIssues(prd: Prd): string[] {
  const issues: string[] = [];
  const ids = new Set<string>();
  for (const story of prd.user_stories) {
    if (ids.has(story.id)) issues.push(`story "${story.id}": the id is used by more than one story`);
    ids.add(story.id);
  }
  for (const story of prd.user_stories)
    for (const dep of story.depends_on) {
      if (dep === story.id)
        issues.push(`story "${story.id}" field "depends_on": a story cannot depend on itself`);
      else if (!ids.has(dep))
        issues.push(
          `story "${story.id}" field "depends_on": unknown story id "${dep}" (known: ${[...ids].join(", ")})`,
        );
    }
  if (issues.length) return issues;
  const deps = new Map(prd.user_stories.map((s) => [s.id, s.depends_on]));
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, trail: string[]): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, "visiting");
    for (const dep of deps.get(id) ?? []) {
      const cycle = visit(dep, [...trail, id]);
      if (cycle) return cycle;
    }
    state.set(id, "done");
    return undefined;
  };
  for (const story of prd.user_stories) {
    const cycle = visit(story.id, []);
    if (cycle) {
      issues.push(
        `stories form a dependency cycle: ${cycle.join(" -> ")}; remove one of these depends_on entries`,
      );
      break;
    }
  }
  return issues;
}

/** Validates a parsed JSON value as a PRD; throws {@link PrdError} listing every problem. */
export function parsePrd(raw: unknown, source = "prd.json"): Prd {
  const parsed = PrdSchema.safeParse(raw);
  if (!parsed.success)
    throw new PrdError(
      source,
      parsed.error.issues.map((i) => describeIssue(i, raw)),
    );
  const issues = dependencyIssues(parsed.data);
  if (issues.length) throw new PrdError(source, issues);
  return parsed.data;
}

/** Validation without throwing, for tools and `prd validate`. */
export function validatePrd(
  raw: unknown,
  source = "prd.json",
): { ok: true; prd: Prd } | { ok: false; issues: string[] } {
  try {
    return { ok: true, prd: parsePrd(raw, source) };
  } catch (err) {
    if (err instanceof PrdError) return { ok: false, issues: err.issues };
    throw err;
  }
}
