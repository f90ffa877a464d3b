import { type Session, SessionStore } from "@codetether/core";
import type { KnownSecrets } from "./known-secrets.js";

type Redact = <T>(value: T, knownSecrets: readonly string[]) => T;

/**
 * A session store that masks every known secret before a session reaches the disk: user prompts, model text, tool
 * arguments and results. Only the stored text is masked; the session object in memory (and the on-disk version the
 * store tracks for it) is the caller's.
 */
export class RedactingSessionStore extends SessionStore {
  private redact: Redact | undefined;

  constructor(
    dir: string,
    private readonly secrets: KnownSecrets,
  ) {
    super(dir);
  }

  override async save(session: Session): Promise<void> {
    // Loaded on the first save (not with the store), so commands that never save stay light.
    this.redact ??= (await import("@codetether/security")).redactKnownSecrets;
    return super.save(session);
  }

  protected override serialize(session: Session): string {
    const redact = this.redact;
    return JSON.stringify(redact ? redact(session, this.secrets.list) : session);
  }
}
