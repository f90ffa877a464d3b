import type { Session, SessionStore } from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";

/**
 * The session a command continues: `--session <id>`, `--continue` (latest of `cwd`), or none for a new one.
 * Bad ids and a missing earlier session are usage errors. With `claim`, the session is claimed before it is
 * loaded (waiting while another process continues it), so this process starts from that process's result.
 */
export async function resumeSession(
  store: SessionStore,
  options: { session?: string; continue?: boolean },
  cwd: string,
  claim?: (id: string) => Promise<void>,
): Promise<Session | undefined> {
  if (options.continue && options.session) {
    throw new CliError("Use either --continue or --session, not both.", ExitCode.Usage);
  }
  if (options.session) {
    let session: Session;
    try {
      session = await store.load(options.session);
    } catch (err) {
      throw new CliError((err as Error).message, ExitCode.Usage);
    }
    if (!claim) return session;
    await claim(options.session);
    return store.load(options.session);
  }
  if (!options.continue) return undefined;
  const session = await store.latestFor(cwd);
  if (!session) {
    throw new CliError(
      `No earlier session in ${cwd} to continue. Start one without --continue.`,
      ExitCode.Usage,
    );
  }
  if (!claim) return session;
  await claim(session.id);
  return store.load(session.id);
}
