import fs from "node:fs/promises";
import path from "node:path";
import { completeWithRetry, lazySchema, messageText, type Provider, textMessage } from "@codetether/core";
import { z } from "zod";
import { savePrd } from "./prd-file.js";
import { type Prd, type QualityChecks, UserStorySchema } from "./prd-schema.js";
import { dependencyIssues, parsePrd } from "./prd-validate.js";

export interface CreatePrdOptions {
  feature: string;
  projectName: string;
  /** Where to write prd.json; nothing is written when omitted. */
  path?: string;
  /** What the feature should do; with a provider, stories are drafted from it. */
  description?: string;
  provider?: Provider;
  model?: string;
  qualityChecks?: QualityChecks;
  /** Replace an existing file (default false). */
  overwrite?: boolean;
  signal?: AbortSignal;
}

export function branchFor(feature: string): string {
  const slug = feature
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);
  return `feature/${slug || "work"}`;
}

/** Quality checks from the project's package.json scripts, when there is one. */
async function detectChecks(dir: string): Promise<QualityChecks> {
  try {
    const pkg = JSON.parse(await fs.readFile(path.join(dir, "package.json"), "utf8")) as {
      scripts?: Record<string, string>;
    };
    const checks: QualityChecks = {};
    for (const name of ["typecheck", "lint", "test", "build"] as const)
      if (pkg.scripts?.[name]) checks[name] = `npm run ${name}`;
    return checks;
  } catch {
    return {};
  }
}

const DraftSchema = lazySchema(() => z.object({ user_stories: z.array(UserStorySchema).min(1) }));

async function draftStories(options: CreatePrdOptions, base: Prd): Promise<Prd> {
  const messages = [
    textMessage(
      "user",
      [
        `Draft the user stories of a PRD for the feature "${options.feature}" of project "${options.projectName}".`,
        `Description:\n${options.description}`,
        "Small stories an agent can finish in one session, each verifiable by the project's checks.",
        'Reply with JSON only: {"user_stories":[{"id":"US-001","title":"...","description":"...",',
        '"acceptance_criteria":["..."],"priority":1,"depends_on":[],"complexity":2}]}',
      ].join("\n"),
    ),
  ];
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const reply = await completeWithRetry(
      options.provider!,
      { model: options.model!, messages },
      { signal: options.signal },
    );
    const text = messageText(reply.message);
    try {
      const start = text.indexOf("{");
      const json: unknown = JSON.parse(text.slice(start, text.lastIndexOf("}") + 1));
      const draft = DraftSchema.parse(json);
      const prd = { ...base, user_stories: draft.user_stories.map((s) => ({ ...s, passes: false })) };
      const issues = dependencyIssues(prd);
      if (issues.length) throw new Error(issues.join("\n"));
      return prd;
    } catch (err) {
      lastError =
        err instanceof z.ZodError
          ? err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")
          : (err as Error).message;
      messages.push(
        reply.message,
        textMessage("user", `That could not be used:\n${lastError}\nReply with corrected JSON only.`),
      );
    }
  }
  throw new Error(`The model did not draft valid stories after 3 attempts. Last error: ${lastError}`);
}

/** A new PRD: a one-story template, or stories drafted by the model from `description`. */
export async function createPrd(options: CreatePrdOptions): Promise<Prd> {
  const dir = options.path ? path.dirname(path.resolve(options.path)) : process.cwd();
  const now = new Date().toISOString();
  const base: Prd = parsePrd({
    project: options.projectName,
    feature: options.feature,
    branch_name: branchFor(options.feature),
    version: "1.0",
    ...(options.description ? { description: options.description } : {}),
    quality_checks: options.qualityChecks ?? (await detectChecks(dir)),
    technical_requirements: [],
    user_stories: [
      {
        id: "US-001",
        title: `First step of ${options.feature}`,
        description: "Describe what the user can do when this story is done.",
        acceptance_criteria: ["State a checkable outcome", "All quality checks pass"],
        priority: 1,
        depends_on: [],
        complexity: 2,
        passes: false,
      },
    ],
    created_at: now,
    updated_at: now,
  });
  const prd =
    options.provider && options.model && options.description ? await draftStories(options, base) : base;
  if (options.path) {
    const exists = await fs.stat(options.path).then(
      () => true,
      () => false,
    );
    if (exists && !options.overwrite)
      throw new Error(
        `${options.path} already exists; pass overwrite (--force) to replace it, or choose another path.`,
      );
    await savePrd(options.path, prd);
  }
  return prd;
}
