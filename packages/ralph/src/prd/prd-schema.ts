import { lazySchema } from "@codetether/core";
import { z } from "zod";

const STORY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** git-check-ref-format, simplified and strict: no leading "-", "..", "//", "@{", trailing "/" "." or ".lock". */
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)[A-Za-z0-9._/-]+(?<![/.])$/;

const command = lazySchema(() => z.string().trim().min(1, "must be a shell command, or leave the check out"));

export const QualityChecksSchema = lazySchema(() =>
  z
    .object({
      typecheck: command.optional(),
      test: command.optional(),
      lint: command.optional(),
      build: command.optional(),
    })
    .strict(),
);
export type QualityChecks = z.infer<typeof QualityChecksSchema>;
/** The order quality checks run in. */
export const CHECK_ORDER = ["typecheck", "lint", "test", "build"] as const;
export type CheckName = (typeof CHECK_ORDER)[number];

export const UserStorySchema = lazySchema(() =>
  z.preprocess(
    // Accept the reference implementation's alias `dependencies` for `depends_on`.
    (value) => {
      if (
        value &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        "dependencies" in value &&
        !("depends_on" in value)
      ) {
        const { dependencies, ...rest } = value as Record<string, unknown>;
        return { ...rest, depends_on: dependencies };
      }
      return value;
    },
    z.object({
      id: z
        .string()
        .regex(STORY_ID, "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit"),
      title: z.string().trim().min(1, "must not be empty"),
      description: z.string().default(""),
      acceptance_criteria: z.array(z.string()).default([]),
      priority: z.number().int().min(1, "1 is the highest priority").max(100).default(1),
      depends_on: z.array(z.string()).default([]),
      complexity: z.number().int().min(1).max(5, "complexity is 1 (trivial) to 5 (hard)").default(3),
      passes: z.boolean().default(false),
    }),
  ),
);
export type UserStory = z.infer<typeof UserStorySchema>;

export const PrdSchema = lazySchema(() =>
  z.object({
    project: z.string().trim().min(1, "name the project"),
    feature: z.string().trim().min(1, "name the feature"),
    branch_name: z
      .string()
      .default("")
      .refine((b) => b === "" || BRANCH.test(b), "is not a valid git branch name (e.g. feature/login)"),
    version: z.string().default("1.0"),
    description: z.string().optional(),
    quality_checks: QualityChecksSchema.default({}),
    technical_requirements: z.array(z.string()).default([]),
    user_stories: z.array(UserStorySchema).min(1, "add at least one user story"),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
  }),
);
export type Prd = z.infer<typeof PrdSchema>;
