import { createPublicKey, sign } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "@codetether/core";
import { decodePrivateKey, encodePublicKey } from "./signing-keys.js";
import { sha256, walkToolDir } from "./tool-files.js";
import {
  MANIFEST_FILE,
  type ManifestSignature,
  SIGNATURE_FILE,
  type ToolManifest,
  type ToolManifestDraft,
  ToolManifestSchema,
} from "./tool-manifest.js";

export interface SignedManifest {
  manifest: ToolManifest;
  signature: ManifestSignature;
}

/**
 * Signs the tool directory `dir`: hashes every file in it into `files`, writes `manifest.json` and an
 * Ed25519 `manifest.sig` over its exact bytes. Metadata comes from `draft`, else from the existing
 * `manifest.json` (whose old `files` are replaced). Symlinks and special files are refused.
 */
export async function signManifest(
  dir: string,
  privateKeyPem: string,
  draft?: ToolManifestDraft,
): Promise<SignedManifest> {
  const key = decodePrivateKey(privateKeyPem);
  const base = draft ?? (await readDraft(dir));
  const files: Record<string, string> = {};
  for (const entry of await walkToolDir(dir)) {
    if (entry.kind !== "file") {
      throw new Error(
        `cannot sign ${path.join(dir, entry.path)}: ${entry.kind}s are not allowed in a tool directory`,
      );
    }
    files[entry.path] = sha256(await fs.readFile(path.join(dir, entry.path)));
  }
  const parsed = ToolManifestSchema.safeParse({ ...base, files });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid manifest for ${dir}: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const manifest = parsed.data;
  if (!Object.hasOwn(files, manifest.entry))
    throw new Error(`manifest entry "${manifest.entry}" is not a file in ${dir}`);
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8");
  const signature: ManifestSignature = {
    algorithm: "ed25519",
    public_key: encodePublicKey(createPublicKey(key)),
    signature: sign(null, bytes, key).toString("base64"),
  };
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), bytes);
  await writeFileAtomic(path.join(dir, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  return { manifest, signature };
}

async function readDraft(dir: string): Promise<ToolManifestDraft> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch {
    throw new Error(
      `${file} not found: write one with id, version, description, entry, permissions and sandbox, then sign again`,
    );
  }
  try {
    const { files: _files, ...rest } = JSON.parse(text) as ToolManifest;
    return rest;
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
}
