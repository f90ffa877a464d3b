import type { SessionStore } from "@codetether/core";
import type { SessionClaims } from "./session-claims.js";

/**
 * The store a long-running front end (TUI, ACP) continues sessions through: loading a session first claims it,
 * waiting while another process holds it — like `run -c`, and saying which pid — so two processes never write
 * one session's turns over each other. Claims are held until {@link SessionClaims.releaseAll} (at exit).
 */
export function claimOnLoad<S extends SessionStore>(store: S, claims: SessionClaims): S {
  const load = store.load.bind(store);
  // Every other method (save, list, claim…) is the store's own, through the prototype chain.
  const claiming = Object.create(store) as S;
  claiming.load = async (id: string) => {
    await claims.claim(id);
    return load(id);
  };
  return claiming;
}
