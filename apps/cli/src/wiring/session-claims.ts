import { describeHolder, type SessionClaim, SessionInUseError, type SessionStore } from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";

/**
 * The sessions this command continues, claimed so no other codetether process writes them meanwhile: a
 * second `run -c` on a busy session says who holds it and waits for it, then continues from its result.
 */
export class SessionClaims {
  private readonly held = new Map<string, SessionClaim>();

  constructor(
    private readonly store: SessionStore,
    private readonly stderr: { write(text: string): unknown },
  ) {}

  async claim(id: string): Promise<void> {
    if (this.held.has(id)) return;
    try {
      const claim = await this.store.claim(id, {
        onWait: (holder) =>
          this.stderr.write(
            `codetether: session ${id} is in use by ${describeHolder(holder)}; waiting for it to finish (Ctrl+C to stop).\n`,
          ),
      });
      this.held.set(id, claim);
    } catch (err) {
      if (err instanceof SessionInUseError) throw new CliError(err.message, ExitCode.Failure);
      throw err;
    }
  }

  async releaseAll(): Promise<void> {
    const claims = [...this.held.values()];
    this.held.clear();
    await Promise.all(claims.map((c) => c.release().catch(() => {})));
  }
}
