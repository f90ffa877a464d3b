import fs from "node:fs/promises";
import path from "node:path";
import { lazySchema, writeFileAtomic } from "@codetether/core";
import { z } from "zod";
import {
  checkProviderName,
  type ProviderSecret,
  ProviderSecretSchema,
  type SecretStore,
} from "./secret-store.js";

export const SECRETS_FILE = "secrets.json";

const FileSchema = lazySchema(() => z.object({ providers: z.record(z.string(), ProviderSecretSchema) }));

/** Provider secrets in `<configDir>/secrets.json`, mode 0600, written atomically. */
export class FileSecretStore implements SecretStore {
  readonly kind = "file" as const;
  readonly file: string;

  constructor(configDir: string) {
    this.file = path.join(configDir, SECRETS_FILE);
  }

  get location(): string {
    return this.file;
  }

  async get(provider: string): Promise<ProviderSecret | undefined> {
    checkProviderName(provider);
    const providers = await this.read();
    return Object.hasOwn(providers, provider) ? providers[provider] : undefined;
  }

  async list(): Promise<string[]> {
    return Object.keys(await this.read()).sort();
  }

  async set(provider: string, secret: ProviderSecret): Promise<void> {
    checkProviderName(provider);
    const parsed = ProviderSecretSchema.safeParse(secret);
    if (!parsed.success)
      throw new Error(`invalid secret for "${provider}": ${parsed.error.issues[0]?.message}`);
    const providers = await this.read();
    providers[provider] = parsed.data;
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, `${JSON.stringify({ providers }, null, 2)}\n`, { mode: 0o600 });
  }

  close(): void {}

  private async read(): Promise<Record<string, ProviderSecret>> {
    let text: string;
    try {
      const stat = await fs.stat(this.file);
      if ((stat.mode & 0o077) !== 0) await fs.chmod(this.file, 0o600);
      text = await fs.readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw new Error(
        `cannot read secrets file ${this.file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Never echo the content: it holds keys.
      throw new Error(
        `secrets file ${this.file} is not valid JSON; fix it or remove it and set the keys again`,
      );
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(
        `secrets file ${this.file} is malformed: expected {"providers": {"<name>": {"api_key": ...}}}`,
      );
    }
    return { ...parsed.data.providers };
  }
}
