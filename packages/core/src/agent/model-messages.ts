import type { Message } from "../messages.js";
import type { Session } from "../session/session.js";

/** The messages the model sees: system prompt, compaction summary, then history since compaction. */
export function modelMessages(session: Session, system: string): Message[] {
  const out: Message[] = [{ role: "system", content: [{ type: "text", text: system }] }];
  const from = session.compactedFrom ?? 0;
  if (session.summary) {
    out.push({
      role: "user",
      content: [
        { type: "text", text: `<conversation-summary>\n${session.summary}\n</conversation-summary>` },
      ],
    });
  }
  out.push(...session.messages.slice(from));
  return out;
}
