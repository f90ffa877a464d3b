import path from "node:path";
import type { CliIO } from "../io.js";
import { createRuntime, loadRuntimeConfig } from "../wiring/runtime.js";
import { usingRuntime } from "../wiring/using-runtime.js";

/** Config dir (trust store, signing key): the directory of the user config file. */
const configDirOf = (io: CliIO) => path.dirname(loadRuntimeConfig(io.cwd, io.env).userFile);
const commandIo = (io: CliIO) => ({ stdout: io.stdout, stderr: io.stderr, env: io.env });

/**
 * `codetether tools list [--json]`: builds the tool registry exactly as a non-interactive `run` here would
 * (built-ins, MCP servers, verified plugins, orchestration tools) and reports each tool's source and what the
 * permission rules and plan mode allow.
 */
export async function toolsListCommand(options: { json?: boolean }, io: CliIO): Promise<number> {
  const runtime = createRuntime({ cwd: io.cwd, env: io.env, stderr: io.stderr });
  return usingRuntime(runtime, async () => {
    const { escapeControls, formatToolInventory, toJsonText, toolInventory } = await import(
      "@codetether/core"
    );
    const rows = toolInventory(await runtime.tools(), runtime.gate);
    // Tool names and origins come from MCP servers and plugins: printed with their control characters escaped.
    const text = options.json ? toJsonText(rows, 2) : formatToolInventory(rows);
    io.stdout.write(text.split("\n").map(escapeControls).join("\n"));
    return 0;
  });
}

/** `codetether tools keygen [--out FILE] [--force]`. */
export async function toolsKeygenCommand(options: { out?: string; force?: boolean }, io: CliIO) {
  const { toolsKeygen } = await import("@codetether/security");
  return toolsKeygen(
    {
      configDir: configDirOf(io),
      ...(options.out ? { out: path.resolve(io.cwd, options.out) } : {}),
      ...(options.force ? { force: true } : {}),
    },
    commandIo(io),
  );
}

/** `codetether tools sign <dir> [--key FILE]`. */
export async function toolsSignCommand(options: { dir: string; key?: string }, io: CliIO) {
  const { toolsSign } = await import("@codetether/security");
  return toolsSign(
    {
      configDir: configDirOf(io),
      dir: path.resolve(io.cwd, options.dir),
      ...(options.key ? { keyFile: path.resolve(io.cwd, options.key) } : {}),
    },
    commandIo(io),
  );
}

/** `codetether tools verify <dir>`: trusted keys from config `tools.trusted_keys` and the trust store. */
export async function toolsVerifyCommand(options: { dir: string }, io: CliIO) {
  const loaded = loadRuntimeConfig(io.cwd, io.env);
  const { toolsVerify } = await import("@codetether/security");
  return toolsVerify(
    {
      configDir: path.dirname(loaded.userFile),
      dir: path.resolve(io.cwd, options.dir),
      trustedKeys: loaded.config.tools.trusted_keys,
    },
    commandIo(io),
  );
}

/** `codetether tools trust <pubkey> [--comment TEXT]`. */
export async function toolsTrustCommand(options: { publicKey: string; comment?: string }, io: CliIO) {
  const { toolsTrust } = await import("@codetether/security");
  return toolsTrust(
    {
      configDir: configDirOf(io),
      publicKey: options.publicKey,
      ...(options.comment ? { comment: options.comment } : {}),
    },
    commandIo(io),
  );
}
