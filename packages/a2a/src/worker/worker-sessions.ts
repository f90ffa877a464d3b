import path from "node:path";
import { createSession, type Session, type SessionStore } from "@codetether/core";
import type { PlatformTask } from "./platform-client.js";

/** Where a worker records, in a session's metadata, that it started the session for a platform's task. */
const MARK = "worker";

interface WorkerMark {
  platform: string;
}

function markOf(session: Session): WorkerMark | undefined {
  const mark = session.metadata[MARK];
  return mark && typeof mark === "object" && typeof (mark as WorkerMark).platform === "string"
    ? (mark as WorkerMark)
    : undefined;
}

/**
 * The session a platform task runs in. The platform is remote: `metadata.resume_session_id` may continue only a
 * session this worker started for that platform's tasks in the same directory, never any other saved session
 * (the user's own conversations, another project's, another platform's), which the task's answer would read back
 * to the platform. Such a request is refused with an error; an id naming no saved session starts a fresh one.
 */
export async function sessionForTask(
  task: PlatformTask,
  options: { sessions?: SessionStore; cwd: string; platform: string },
): Promise<Session> {
  const resumeId = task.metadata?.resume_session_id;
  const loaded =
    typeof resumeId === "string" && options.sessions
      ? await options.sessions.load(resumeId).catch(() => undefined)
      : undefined;
  if (loaded) {
    const mark = markOf(loaded);
    if (mark?.platform === options.platform && path.resolve(loaded.cwd) === path.resolve(options.cwd))
      return loaded;
    throw new Error(
      `Task ${task.id} asks to resume session ${loaded.id}, which this worker did not start for ${options.platform} ` +
        `in ${options.cwd}; refused: a platform may only continue the sessions of its own tasks here.`,
    );
  }
  const session = createSession({ cwd: options.cwd, title: task.title ?? `task ${task.id}` });
  session.metadata[MARK] = { platform: options.platform } satisfies WorkerMark;
  return session;
}
