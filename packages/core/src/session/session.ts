import { randomUUID } from "node:crypto";
import { z } from "zod";
import { MessageSchema } from "../messages.js";
import { emptyUsage, UsageSchema } from "../usage.js";
import { lazySchema } from "../util/lazy-schema.js";

export const SessionSchema = lazySchema(() =>
  z.object({
    version: z.literal(1).default(1),
    id: z.string().min(1),
    title: z.string(),
    /** Directory the session was started in; `--continue` picks the latest session for a directory. */
    cwd: z.string(),
    model: z.string().optional(),
    createdAt: z.number(),
    updatedAt: z.number(),
    /** Full history, never pruned (compaction works on a copy sent to the model). */
    messages: z.array(MessageSchema),
    /** Index into `messages` from which the model sees history, after compaction. */
    compactedFrom: z.number().int().nonnegative().optional(),
    /** Summary that replaces messages before `compactedFrom`. */
    summary: z.string().optional(),
    usage: UsageSchema.default(emptyUsage()),
    /** Free-form state of tools and hosts (todos, plan mode, parent session, ...). */
    metadata: z.record(z.string(), z.unknown()).default({}),
  }),
);
export type Session = z.infer<typeof SessionSchema>;

/** Session ids sort by creation time: `ses_<time base36>_<random>`. */
export function newSessionId(now = Date.now()): string {
  return `ses_${now.toString(36).padStart(9, "0")}_${randomUUID().slice(0, 8)}`;
}

/** A title from the first prompt: first line, trimmed to 60 characters. */
export function titleFromPrompt(prompt: string): string {
  const line = prompt.trim().split(/\r?\n/)[0] ?? "";
  const clean = line.replace(/\s+/g, " ").trim();
  if (!clean) return "Untitled session";
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}

export function createSession(init: { cwd: string; model?: string; title?: string; id?: string }): Session {
  const now = Date.now();
  return {
    version: 1,
    id: init.id ?? newSessionId(now),
    title: init.title ?? "Untitled session",
    cwd: init.cwd,
    ...(init.model ? { model: init.model } : {}),
    createdAt: now,
    updatedAt: now,
    messages: [],
    usage: emptyUsage(),
    metadata: {},
  };
}
