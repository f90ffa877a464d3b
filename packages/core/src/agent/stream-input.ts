import { z } from "zod";
import { FilePartSchema, ImagePartSchema, TextPartSchema } from "../messages.js";
import { lazySchema } from "../util/lazy-schema.js";

/** What a user message may contain: text, images, files; never tool calls or results. */
const UserPartSchema = lazySchema(() =>
  z.discriminatedUnion("type", [TextPartSchema, ImagePartSchema, FilePartSchema]),
);
export type UserPart = z.infer<typeof UserPartSchema>;

const UserContentSchema = lazySchema(() => z.union([z.string(), z.array(UserPartSchema).min(1)]));

/**
 * One line of `run --input-format stream-json`: a user turn. `text` or `content` (the session's content parts);
 * Claude Code's `{"type":"user","message":{"role":"user","content":…}}` shape is accepted too. `files` are
 * attached like `run --file`.
 */
export const StreamInputLineSchema = lazySchema(() =>
  z
    .object({
      type: z.literal("user"),
      text: z.string().optional(),
      content: UserContentSchema.optional(),
      message: z.object({ role: z.literal("user"), content: UserContentSchema }).optional(),
      files: z.array(z.string().min(1)).optional(),
    })
    .refine((l) => [l.text, l.content, l.message].filter((v) => v !== undefined).length === 1, {
      message: 'give exactly one of "text", "content" or "message"',
    }),
);

export interface StreamInputTurn {
  parts: UserPart[];
  files: string[];
}

/** Thrown for a line that is not a user turn; `message` names the line and the problem. */
export class StreamInputError extends Error {}

/** Parses one NDJSON input line (1-based `lineNo` for messages). Blank lines return undefined. */
export function parseStreamInputLine(line: string, lineNo: number): StreamInputTurn | undefined {
  if (!line.trim()) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    throw new StreamInputError(`stdin line ${lineNo}: not JSON (${(err as Error).message}).`);
  }
  const parsed = StreamInputLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StreamInputError(
      `stdin line ${lineNo}: not a user turn at ${issue?.path.join(".") || "(root)"}: ${issue?.message}. ` +
        'Expected e.g. {"type":"user","text":"…"}.',
    );
  }
  const { text, content, message, files } = parsed.data;
  const raw = text ?? content ?? message?.content ?? "";
  const parts: UserPart[] = typeof raw === "string" ? [{ type: "text", text: raw }] : raw;
  return { parts, files: files ?? [] };
}
