import fs from "node:fs/promises";
import path from "node:path";
import { dataDir, lazySchema, type ToolContext, writeFileAtomic } from "@codetether/core";
import { z } from "zod";

export const TodoSchema = lazySchema(() =>
  z.object({
    id: z.string().min(1).describe("Stable id of the item"),
    content: z.string().min(1).describe("What to do"),
    status: z.enum(["pending", "in_progress", "completed", "cancelled"]),
    priority: z.enum(["high", "medium", "low"]).default("medium"),
  }),
);
export type Todo = z.infer<typeof TodoSchema>;

const METADATA_KEY = "todos";

interface SessionLike {
  id: string;
  metadata: Record<string, unknown>;
}

function sessionOf(ctx: ToolContext): SessionLike | undefined {
  const s = ctx.services?.session as SessionLike | undefined;
  return s && typeof s === "object" && s.metadata && typeof s.metadata === "object" ? s : undefined;
}

function fileFor(sessionId: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(sessionId)) throw new Error(`Invalid session id "${sessionId}".`);
  return path.join(dataDir(), "todos", `${sessionId}.json`);
}

/**
 * The session's todo list. Kept in `session.metadata.todos`, which the agent saves with the session
 * after every step; without a session object (direct calls) it lives in `<dataDir>/todos/<session>.json`.
 */
export async function readTodos(ctx: ToolContext): Promise<Todo[]> {
  const session = sessionOf(ctx);
  const raw = session
    ? session.metadata[METADATA_KEY]
    : await fs
        .readFile(fileFor(ctx.sessionId), "utf8")
        .then((t) => JSON.parse(t) as unknown)
        .catch(() => undefined);
  const parsed = z.array(TodoSchema).safeParse(raw ?? []);
  return parsed.success ? parsed.data : [];
}

export async function writeTodos(ctx: ToolContext, todos: Todo[]): Promise<void> {
  const session = sessionOf(ctx);
  if (session) session.metadata[METADATA_KEY] = todos;
  else await writeFileAtomic(fileFor(ctx.sessionId), `${JSON.stringify(todos, null, 2)}\n`);
}

const MARK: Record<Todo["status"], string> = {
  pending: "[ ]",
  in_progress: "[~]",
  completed: "[x]",
  cancelled: "[-]",
};

export function formatTodos(todos: Todo[]): string {
  if (todos.length === 0) return "(no todos)";
  return todos
    .map((t) => `${MARK[t.status]} ${t.id}. ${t.content}${t.priority === "high" ? " (high)" : ""}`)
    .join("\n");
}
