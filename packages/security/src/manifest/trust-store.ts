import fs from "node:fs/promises";
import path from "node:path";
import { lazySchema, writeFileAtomic } from "@codetether/core";
import { z } from "zod";
import { decodePublicKey, keyFingerprint } from "./signing-keys.js";

/** The trust store lives in the config dir: `<configDir>/trusted-tool-keys.json`. */
export const TRUST_STORE_FILE = "trusted-tool-keys.json";

const TrustStoreSchema = lazySchema(() =>
  z.object({
    keys: z.array(z.object({ key: z.string(), added: z.string(), comment: z.string().optional() })),
  }),
);

export type TrustedKeyEntry = z.infer<typeof TrustStoreSchema>["keys"][number];

export function trustStorePath(configDir: string): string {
  return path.join(configDir, TRUST_STORE_FILE);
}

export async function readTrustStore(configDir: string): Promise<TrustedKeyEntry[]> {
  const file = trustStorePath(configDir);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  let parsed: ReturnType<typeof TrustStoreSchema.safeParse>;
  try {
    parsed = TrustStoreSchema.safeParse(JSON.parse(text));
  } catch {
    throw new Error(`trust store ${file} is not valid JSON; fix or delete it`);
  }
  if (!parsed.success) throw new Error(`trust store ${file} is malformed: expected {"keys":[{"key":...}]}`);
  return parsed.data.keys;
}

/** Trusted keys: the trust store plus extra keys from config (`tools.trusted_keys`), de-duplicated. */
export async function trustedKeys(configDir: string, extra: readonly string[] = []): Promise<string[]> {
  const stored = (await readTrustStore(configDir)).map((entry) => entry.key);
  return [...new Set([...stored, ...extra].map((k) => k.trim()))];
}

/** Adds a key (validated) to the trust store; returns false if it was already trusted. */
export async function addTrustedKey(configDir: string, key: string, comment?: string): Promise<boolean> {
  decodePublicKey(key);
  const keys = await readTrustStore(configDir);
  if (keys.some((entry) => entry.key === key.trim())) return false;
  keys.push({ key: key.trim(), added: new Date().toISOString(), ...(comment ? { comment } : {}) });
  await writeFileAtomic(trustStorePath(configDir), `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  return true;
}

export { keyFingerprint };
