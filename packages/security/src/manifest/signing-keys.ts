import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";

/** Public keys are written `ed25519:<base64 of the raw 32-byte key>` (config `tools.trusted_keys`, trust store). */
export const PUBLIC_KEY_PREFIX = "ed25519:";

export interface SigningKeyPair {
  /** `ed25519:<base64>`: share it; users trust it with `codetether tools trust`. */
  publicKey: string;
  /** PKCS#8 PEM. Keep it secret (0600 file). */
  privateKey: string;
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows.
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** A new Ed25519 key pair for signing tool manifests. */
export function generateKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return {
    publicKey: encodePublicKey(publicKey),
    privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  };
}

export function encodePublicKey(key: KeyObject): string {
  const der = key.export({ format: "der", type: "spki" });
  return PUBLIC_KEY_PREFIX + der.subarray(SPKI_ED25519_PREFIX.length).toString("base64");
}

/** Parses `ed25519:<base64>`; throws a clear error for anything else. */
export function decodePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PUBLIC_KEY_PREFIX)) {
    throw new Error(
      `not an Ed25519 public key: expected "ed25519:<base64>", got "${trimmed.slice(0, 20)}..."`,
    );
  }
  const raw = Buffer.from(trimmed.slice(PUBLIC_KEY_PREFIX.length), "base64");
  if (raw.length !== 32) throw new Error(`Ed25519 public key must be 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
}

/** Parses a PKCS#8 PEM Ed25519 private key (never echoes the input in errors). */
export function decodePrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new Error("not a PEM private key (expected the file written by `codetether tools keygen`)");
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`signing key must be Ed25519, got ${key.asymmetricKeyType ?? "unknown"}`);
  }
  return key;
}

/** Short stable id of a public key for messages and audit records. */
export function keyFingerprint(publicKey: string): string {
  return `SHA256:${createHash("sha256").update(publicKey.trim()).digest("base64url").slice(0, 16)}`;
}
