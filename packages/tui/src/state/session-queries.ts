import type { ProviderRegistry, Session } from "@codetether/core";

/** The session's user turns (1-based) with the first line of each prompt, for the `/rewind` picker. */
export function userTurns(session: Session): Array<{ turn: number; text: string }> {
  return session.messages
    .filter((m) => m.role === "user")
    .map((m, i) => ({
      turn: i + 1,
      text:
        m.content
          .map((p) => (p.type === "text" ? p.text : ""))
          .join(" ")
          .split("\n")[0] ?? "",
    }));
}

/** Every `provider/model` of every configured provider (`current` first when unlisted); failures are reported. */
export async function listProviderModels(
  registry: ProviderRegistry,
  current: string,
): Promise<{ models: string[]; errors: string[] }> {
  const models: string[] = [];
  const errors: string[] = [];
  for (const id of registry.ids()) {
    const provider = registry.get(id);
    if (!provider) continue;
    try {
      for (const m of await provider.listModels()) models.push(`${id}/${m.id}`);
    } catch (err) {
      errors.push(`${id}: ${(err as Error).message}`);
    }
  }
  if (!models.includes(current)) models.unshift(current);
  return { models, errors };
}
