import fs from "node:fs/promises";
import path from "node:path";
import { configDir as defaultConfigDir, writeFileAtomic } from "@codetether/core";
import { signManifest } from "./sign-manifest.js";
import { generateKeyPair, keyFingerprint } from "./signing-keys.js";
import { addTrustedKey, trustedKeys, trustStorePath } from "./trust-store.js";
import { verifyToolDir } from "./verify-tool-dir.js";

/** Streams and environment a command writes to (the CLI passes process.stdout/stderr/env). */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
}

interface CommonOptions {
  /** Override the config dir (default `$CODETETHER_CONFIG_DIR` / XDG). */
  configDir?: string;
}

const confDir = (options: CommonOptions, io: CommandIo) =>
  options.configDir ?? defaultConfigDir(io.env ?? process.env);
export const defaultSigningKeyFile = (dir: string) => path.join(dir, "keys", "tool-signing.pem");

async function guarded(io: CommandIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}

/** `codetether tools keygen [--out FILE] [--force]`: new Ed25519 signing key (0600), prints the public key. */
export function toolsKeygen(options: CommonOptions & { out?: string; force?: boolean }, io: CommandIo) {
  return guarded(io, async () => {
    const file = options.out ?? defaultSigningKeyFile(confDir(options, io));
    const exists = await fs.access(file).then(
      () => true,
      () => false,
    );
    if (exists && !options.force) {
      io.stderr.write(
        `error: ${file} already exists; pass --force to replace it (old signatures stay valid)\n`,
      );
      return 1;
    }
    const pair = generateKeyPair();
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, pair.privateKey, { mode: 0o600 });
    io.stdout.write(
      `private key: ${file}\npublic key:  ${pair.publicKey}\nfingerprint: ${keyFingerprint(pair.publicKey)}\n`,
    );
    io.stdout.write(`trust it with: codetether tools trust ${pair.publicKey}\n`);
    return 0;
  });
}

/** `codetether tools sign <dir> [--key FILE]`: hashes the directory's files and signs its manifest. */
export function toolsSign(options: CommonOptions & { dir: string; keyFile?: string }, io: CommandIo) {
  return guarded(io, async () => {
    const keyFile = options.keyFile ?? defaultSigningKeyFile(confDir(options, io));
    const pem = await fs.readFile(keyFile, "utf8").catch(() => {
      throw new Error(`signing key ${keyFile} not found; create one with \`codetether tools keygen\``);
    });
    const { manifest, signature } = await signManifest(options.dir, pem);
    io.stdout.write(
      `signed ${manifest.id}@${manifest.version}: ${Object.keys(manifest.files).length} files, ` +
        `key ${keyFingerprint(signature.public_key)}\n`,
    );
    return 0;
  });
}

/** `codetether tools verify <dir>`: exit 0 if trusted and intact, 1 with the reason otherwise. */
export function toolsVerify(
  options: CommonOptions & { dir: string; trustedKeys?: readonly string[] },
  io: CommandIo,
) {
  return guarded(io, async () => {
    const keys = await trustedKeys(confDir(options, io), options.trustedKeys);
    const result = await verifyToolDir(options.dir, keys);
    if (!result.ok) {
      io.stderr.write(`REFUSED ${options.dir}: ${result.reason}\n`);
      return 1;
    }
    const { manifest, signer } = result;
    io.stdout.write(`OK ${manifest.id}@${manifest.version} signed by ${signer}\n`);
    return 0;
  });
}

/** `codetether tools trust <pubkey> [--comment TEXT]`: adds a key to the trust store in the config dir. */
export function toolsTrust(options: CommonOptions & { publicKey: string; comment?: string }, io: CommandIo) {
  return guarded(io, async () => {
    const dir = confDir(options, io);
    const added = await addTrustedKey(dir, options.publicKey, options.comment);
    const fp = keyFingerprint(options.publicKey);
    io.stdout.write(added ? `trusted ${fp} (${trustStorePath(dir)})\n` : `${fp} is already trusted\n`);
    return 0;
  });
}
