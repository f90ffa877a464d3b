import { verify } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { decodePublicKey, keyFingerprint } from "./signing-keys.js";
import { isLoadable, sha256, walkToolDir } from "./tool-files.js";
import {
  MANIFEST_FILE,
  ManifestSignatureSchema,
  SIGNATURE_FILE,
  type ToolManifest,
  ToolManifestSchema,
} from "./tool-manifest.js";

export type ToolDirVerification =
  | {
      ok: true;
      manifest: ToolManifest;
      /** Fingerprint of the trusted key that signed it. */
      signer: string;
      /** The verified bytes of every listed file, so callers load exactly what was checked (no TOCTOU). */
      contents: Map<string, Buffer>;
    }
  | { ok: false; reason: string };

/**
 * Accepts a tool directory only if `manifest.sig` is a valid Ed25519 signature over `manifest.json` by one
 * of `trustedKeys` (`ed25519:<base64>`), every listed file exists as a regular file with the listed SHA-256,
 * and there are no unlisted symlinks or loadable/executable files.
 */
export async function verifyToolDir(
  dir: string,
  trustedKeys: readonly string[],
): Promise<ToolDirVerification> {
  const fail = (reason: string): ToolDirVerification => ({ ok: false, reason });
  const manifestBytes = await fs.readFile(path.join(dir, MANIFEST_FILE)).catch(() => undefined);
  if (!manifestBytes) return fail(`no ${MANIFEST_FILE}: not a tool directory`);
  const sigText = await fs.readFile(path.join(dir, SIGNATURE_FILE), "utf8").catch(() => undefined);
  if (sigText === undefined)
    return fail(`unsigned: no ${SIGNATURE_FILE} (sign with \`codetether tools sign\`)`);

  let sig: ReturnType<typeof ManifestSignatureSchema.parse>;
  try {
    sig = ManifestSignatureSchema.parse(JSON.parse(sigText));
  } catch {
    return fail(`${SIGNATURE_FILE} is malformed`);
  }
  const signer = keyFingerprint(sig.public_key);
  const trusted = new Set(trustedKeys.map((k) => k.trim()));
  if (!trusted.has(sig.public_key.trim())) {
    return fail(
      `signed by untrusted key ${signer} (trust it with \`codetether tools trust ${sig.public_key}\`)`,
    );
  }
  let valid = false;
  try {
    valid = verify(
      null,
      manifestBytes,
      decodePublicKey(sig.public_key),
      Buffer.from(sig.signature, "base64"),
    );
  } catch {
    valid = false;
  }
  if (!valid)
    return fail(`signature by ${signer} does not verify: ${MANIFEST_FILE} was modified after signing`);

  let manifest: ToolManifest;
  try {
    const parsed = ToolManifestSchema.safeParse(JSON.parse(manifestBytes.toString("utf8")));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(`invalid manifest: ${issue?.path.join(".")}: ${issue?.message}`);
    }
    manifest = parsed.data;
  } catch {
    return fail(`${MANIFEST_FILE} is not valid JSON`);
  }
  if (!Object.hasOwn(manifest.files, manifest.entry))
    return fail(`entry "${manifest.entry}" is not listed in files`);

  const entries = await walkToolDir(dir);
  const onDisk = new Map(entries.map((e) => [e.path, e]));
  const contents = new Map<string, Buffer>();
  for (const [file, expected] of Object.entries(manifest.files)) {
    const entry = onDisk.get(file);
    if (!entry) return fail(`listed file ${file} is missing`);
    if (entry.kind !== "file") return fail(`listed file ${file} is a ${entry.kind}, not a regular file`);
    const data = await fs.readFile(path.join(dir, file));
    if (sha256(data) !== expected) return fail(`file ${file} does not match its signed hash (modified)`);
    contents.set(file, data);
  }
  for (const entry of entries) {
    if (Object.hasOwn(manifest.files, entry.path)) continue;
    if (entry.kind !== "file") return fail(`unlisted ${entry.kind} ${entry.path}`);
    if (isLoadable(entry)) return fail(`unlisted executable or code file ${entry.path}`);
  }
  return { ok: true, manifest, signer, contents };
}
