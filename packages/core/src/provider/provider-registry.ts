import { parseModelString } from "../model-info.js";
import type { Provider } from "./provider.js";

/** Providers by id. Custom providers are registered the same way as built-in ones. */
export class ProviderRegistry {
  private readonly providers = new Map<string, Provider>();

  register(provider: Provider): this {
    this.providers.set(provider.id, provider);
    return this;
  }

  get(id: string): Provider | undefined {
    return this.providers.get(id);
  }

  has(id: string): boolean {
    return this.providers.has(id);
  }

  ids(): string[] {
    return [...this.providers.keys()].sort();
  }

  /** Resolves `provider/model` to a provider and the model id, with an actionable error. */
  resolve(modelString: string): { provider: Provider; model: string } {
    const { provider: id, model } = parseModelString(modelString);
    const provider = this.providers.get(id);
    if (!provider) {
      const known = this.ids();
      throw new Error(
        `Unknown provider "${id}" in model "${modelString}". ` +
          (known.length
            ? `Configured providers: ${known.join(", ")}.`
            : "No provider is configured: set an API key such as OPENAI_API_KEY, or add one to config.toml."),
      );
    }
    return { provider, model };
  }
}
