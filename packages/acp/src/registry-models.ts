import type { ProviderRegistry } from "@codetether/core";

/**
 * "provider/model" strings of every registered provider, for the editor's model picker. A provider
 * that fails or does not answer within `timeoutMs` is left out rather than delaying the session.
 */
export async function listRegistryModels(registry: ProviderRegistry, timeoutMs = 3000): Promise<string[]> {
  const lists = await Promise.all(
    registry.ids().map(async (id) => {
      const provider = registry.get(id);
      if (!provider) return [];
      let timer: NodeJS.Timeout | undefined;
      try {
        const models = await Promise.race([
          provider.listModels(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
          }),
        ]);
        return models.map((m) => `${id}/${m.id}`);
      } catch {
        return [];
      } finally {
        if (timer) clearTimeout(timer);
      }
    }),
  );
  return [...new Set(lists.flat())];
}
