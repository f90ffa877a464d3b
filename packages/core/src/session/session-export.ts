import { z } from "zod";
import type { ContentPart, Message } from "../messages.js";
import { emptyUsage } from "../usage.js";
import { lazySchema } from "../util/lazy-schema.js";
import { newSessionId, type Session, SessionSchema } from "./session.js";

/** The one JSON document `codetether export` writes and `codetether import` reads. */
export const SessionExportSchema = lazySchema(() =>
  z.object({
    format: z.literal("codetether.session"),
    version: z.literal(1),
    exportedAt: z.number(),
    session: SessionSchema,
  }),
);
export type SessionExport = z.infer<typeof SessionExportSchema>;

/** Masks secrets in a value (the CLI passes `@codetether/security`'s `redactSecrets` with known keys). */
export type Redactor = <T>(value: T) => T;

/**
 * Image/file bytes and thinking signatures are opaque: a pattern match there would corrupt them and they hold
 * no text a user typed. Everything else (text, tool arguments and results, title, metadata) is redacted.
 */
function redactPart(part: ContentPart, redact: Redactor): ContentPart {
  if (part.type === "image" || part.type === "file") {
    const { data, ...rest } = part;
    return { ...redact(rest), ...(data !== undefined ? { data } : {}) } as ContentPart;
  }
  if (part.type === "thinking") {
    const { signature, ...rest } = part;
    return { ...redact(rest), ...(signature !== undefined ? { signature } : {}) };
  }
  return redact(part);
}

function redactMessage(message: Message, redact: Redactor): Message {
  return { ...message, content: message.content.map((p) => redactPart(p, redact)) };
}

/** A self-contained export: the whole session (messages, tool calls and results, usage, model, title). */
export function exportSession(
  session: Session,
  options: { redact?: Redactor; now?: number } = {},
): SessionExport {
  const redact: Redactor = options.redact ?? (<T>(v: T) => v);
  const { messages, ...rest } = session;
  const clean = redact(rest);
  return {
    format: "codetether.session",
    version: 1,
    exportedAt: options.now ?? Date.now(),
    session: {
      ...clean,
      // Numbers are never redacted; keep the ids and times exactly.
      id: session.id,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
      usage: session.usage,
      messages: messages.map((m) => redactMessage(m, redact)),
    },
  };
}

/** Thrown when an import document is not a codetether session export; `message` says where and why. */
export class SessionImportError extends Error {}

/**
 * Validates an export document and returns it as a new session (new id, `cwd` set to where it is imported,
 * so `run -c` and `run -s <id>` resume it there). The original id and directory are kept in `metadata.importedFrom`.
 */
export function importSession(
  json: unknown,
  options: { cwd: string; now?: number; source?: string },
): Session {
  const where = options.source ? `${options.source}: ` : "";
  const parsed = SessionExportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SessionImportError(
      `${where}not a codetether session export (at ${issue?.path.join(".") || "(root)"}: ${issue?.message}). ` +
        "Create one with `codetether export <id> -o file.json`.",
    );
  }
  const { session, exportedAt } = parsed.data;
  const now = options.now ?? Date.now();
  return {
    ...session,
    id: newSessionId(now),
    cwd: options.cwd,
    updatedAt: now,
    usage: session.usage ?? emptyUsage(),
    metadata: {
      ...session.metadata,
      importedFrom: { sessionId: session.id, cwd: session.cwd, exportedAt, importedAt: now },
    },
  };
}
